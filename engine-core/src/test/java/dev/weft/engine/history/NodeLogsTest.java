package dev.weft.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLogsTest {

    @TempDir
    Path workRoot;

    @Test
    void linesAreKeptPerAttemptWithTheirStream() {
        NodeLogs logs = new NodeLogs(workRoot, NodeLogs.DEFAULT_CAP_BYTES);
        try (NodeLogs.Writer w = logs.open("wf-1", "wf-1-123", 0)) {
            w.line(LogStream.STDOUT, "out one");
            w.line(LogStream.STDERR, "err one");
            w.line(LogStream.STDOUT, "two\nlines");
        }
        try (NodeLogs.Writer w = logs.open("wf-1", "wf-1-123", 1)) {
            w.line(LogStream.HANDLER, "retry");
        }

        assertThat(logs.file("wf-1", "wf-1-123", 0))
                .isEqualTo(workRoot.resolve("runs/wf-1/logs/wf-1-123/0.log")).isRegularFile();
        NodeLog first = logs.read("wf-1", "wf-1-123", 0);
        assertThat(first.truncated()).isFalse();
        assertThat(first.of(LogStream.STDOUT)).containsExactly("out one", "two", "lines");
        assertThat(first.of(LogStream.STDERR)).containsExactly("err one");
        assertThat(logs.read("wf-1", "wf-1-123", 1).lines()).containsExactly(new LogLine(LogStream.HANDLER, "retry"));
        assertThat(logs.read("wf-1", "never-ran", 0).lines()).isEmpty();
    }

    @Test
    void theCapStopsTheLogAndSaysSo() {
        NodeLogs logs = new NodeLogs(workRoot, 100);
        try (NodeLogs.Writer w = logs.open("wf", "n", 0)) {
            for (int i = 0; i < 50; i++) {
                w.line(LogStream.STDOUT, "line " + i);
            }
            assertThat(w.truncated()).isTrue();
        }
        NodeLog log = logs.read("wf", "n", 0);
        assertThat(log.truncated()).isTrue();
        // "o line N\n" is 9 bytes for N < 10, then 10: lines 0 to 10 fill the 100 bytes exactly
        assertThat(log.of(LogStream.STDOUT)).hasSize(11).startsWith("line 0").endsWith("line 10");
        assertThat(log.of(LogStream.WEFT)).containsExactly(
                "truncated: this log reached its cap of 100 bytes; later lines dropped",
                "dropped 39 lines (390 bytes) over the cap");
    }

    @Test
    void anUntruncatedLogHasNoMarker() {
        NodeLogs logs = new NodeLogs(workRoot, 10); // "o exactly\n" is 10 bytes
        try (NodeLogs.Writer w = logs.open("wf", "n", 0)) {
            w.line(LogStream.STDOUT, "exactly");
        }
        assertThat(logs.read("wf", "n", 0)).isEqualTo(
                new NodeLog(java.util.List.of(new LogLine(LogStream.STDOUT, "exactly")), false));
    }

    @Test
    void aLogCanBeFollowedWhileItIsWritten() {
        NodeLogs logs = new NodeLogs(workRoot, NodeLogs.DEFAULT_CAP_BYTES);
        NodeLogs.Tail tail = logs.tail("wf", "n", 0);
        assertThat(tail.poll()).isEmpty();
        try (NodeLogs.Writer w = logs.open("wf", "n", 0)) {
            w.line(LogStream.STDOUT, "first");
            assertThat(tail.poll()).containsExactly(new LogLine(LogStream.STDOUT, "first"));
            assertThat(logs.read("wf", "n", 0).of(LogStream.STDOUT)).containsExactly("first");
            assertThat(tail.poll()).isEmpty();
            w.line(LogStream.STDERR, "second");
            w.line(LogStream.STDOUT, "third");
            assertThat(tail.poll()).containsExactly(new LogLine(LogStream.STDERR, "second"),
                    new LogLine(LogStream.STDOUT, "third"));
        }
    }

    @Test
    void reopeningAnAttemptAppendsAndKeepsCountingTowardsTheCap() {
        NodeLogs logs = new NodeLogs(workRoot, 20);
        try (NodeLogs.Writer w = logs.open("wf", "n", 0)) {
            w.line(LogStream.STDOUT, "123456");
        }
        try (NodeLogs.Writer w = logs.open("wf", "n", 0)) {
            w.line(LogStream.STDOUT, "abcdef");
            w.line(LogStream.STDOUT, "over");
        }
        NodeLog log = logs.read("wf", "n", 0);
        assertThat(log.of(LogStream.STDOUT)).containsExactly("123456", "abcdef");
        assertThat(log.truncated()).isTrue();
    }

    @Test
    void namesThatWouldLeaveTheLogDirectoryAreRefused() {
        NodeLogs logs = new NodeLogs(workRoot, 100);
        assertThatThrownBy(() -> logs.open("..", "n", 0)).hasMessageContaining("run name '..'");
        assertThatThrownBy(() -> logs.open("wf", "a/b", 0)).hasMessageContaining("node id 'a/b'");
    }
}
