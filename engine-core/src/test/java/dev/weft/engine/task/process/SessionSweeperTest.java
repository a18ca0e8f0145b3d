package dev.weft.engine.task.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class SessionSweeperTest {

    @Test
    void pidsFromTheLeaderToTheLastHandedOutAreInRange() {
        assertThat(SessionSweeper.inRange(100, 100, 200)).as("the leader itself").isTrue();
        assertThat(SessionSweeper.inRange(150, 100, 200)).isTrue();
        assertThat(SessionSweeper.inRange(200, 100, 200)).isTrue();
        assertThat(SessionSweeper.inRange(99, 100, 200)).as("older than the leader").isFalse();
        assertThat(SessionSweeper.inRange(201, 100, 200)).as("not handed out yet").isFalse();
    }

    @Test
    void rangeWrapsAroundWhenTheLastPidIsBelowTheLeader() {
        // The allocator reached pid_max after the leader and started again from the bottom.
        assertThat(SessionSweeper.inRange(32_000, 32_000, 500)).isTrue();
        assertThat(SessionSweeper.inRange(32_767, 32_000, 500)).isTrue();
        assertThat(SessionSweeper.inRange(301, 32_000, 500)).isTrue();
        assertThat(SessionSweeper.inRange(501, 32_000, 500)).isFalse();
        assertThat(SessionSweeper.inRange(31_999, 32_000, 500)).isFalse();
    }

    @Test
    void rangeIsTrustedOnlyWhileTheAllocatorCannotHaveComeRoundToTheLeaderAgain() {
        assertThat(SessionSweeper.rangeIsSound(1_000, 1_010, 32_768)).isTrue();
        assertThat(SessionSweeper.rangeIsSound(1_000, 1_000 + 16_384, 32_768)).as("half of pid_max forks").isFalse();
        assertThat(SessionSweeper.rangeIsSound(-1, 1_010, 32_768)).as("no mark").isFalse();
        assertThat(SessionSweeper.rangeIsSound(1_000, -1, 32_768)).as("counter unreadable").isFalse();
        assertThat(SessionSweeper.rangeIsSound(1_000, 1_010, -1)).as("pid_max unreadable").isFalse();
        assertThat(SessionSweeper.rangeIsSound(1_000, 900, 32_768)).as("counter went backwards").isFalse();
    }

    @Test
    void sweepAfterAMarkFindsTheSameSessionMembersAsAFullScan() throws Exception {
        assumeTrue(SessionSweeper.available(), "needs /proc");
        Path setsid = Path.of("/usr/bin/setsid");
        assumeTrue(Files.isExecutable(setsid), "needs setsid");
        String marker = String.valueOf(ThreadLocalRandom.current().nextInt(100_000, 999_999));
        SessionSweeper.Mark mark = SessionSweeper.mark();
        Process leader = new ProcessBuilder(setsid.toString(), "sh", "-c",
                "sleep " + marker + " & sleep " + marker + " & wait").start();
        try {
            SandboxTestSupport.awaitDescendant("sleep", marker);
            List<ProcessHandle> members;
            do {
                // Both sleeps: the second may still be forking.
                members = SessionSweeper.members(leader.pid(), mark);
                Thread.sleep(10);
            } while (members.size() < 3 && leader.isAlive());
            assertThat(members).extracting(ProcessHandle::pid)
                    .contains(leader.pid())
                    .hasSize(3)
                    .containsExactlyInAnyOrderElementsOf(SessionSweeper.members(leader.pid()).stream()
                            .map(ProcessHandle::pid).toList());
        } finally {
            SessionSweeper.members(leader.pid()).forEach(ProcessHandle::destroyForcibly);
            leader.destroyForcibly().waitFor();
        }
    }
}
