package dev.weft.engine.task.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryCleanerTest {

    @Test
    void closedTaskDirectoryIsGoneAtOnceAndItsContentsAreDeletedInTheBackground() throws Exception {
        ProcessSandbox sandbox = SandboxTestSupport.sandbox(IsolationMode.PATH_REWRITE);
        SandboxedTask task = sandbox.prepare("cleaned", List.of("/data/out"));
        Path dir = ((LocalSandboxedTask) task).directory();
        Files.writeString(task.hostPath("/data/out"), "output");
        Files.writeString(task.hostPath("/tmp/scratch"), "scratch");

        task.close();

        assertThat(dir).doesNotExist();
        ((LocalProcessSandbox) sandbox).awaitDeletions();
        try (Stream<Path> left = Files.list(dir.getParent())) {
            assertThat(left).noneMatch(p -> p.getFileName().toString().startsWith(dir.getFileName().toString()));
        }
    }

    @Test
    void closeFinishesQueuedDeletionsAndLaterOnesHappenAtOnce(@TempDir Path workRoot) throws Exception {
        DirectoryCleaner cleaner = new DirectoryCleaner();
        List<Path> doomed = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Path d = Files.createDirectories(workRoot.resolve("task-" + i + DirectoryCleaner.DOOMED_SUFFIX)
                    .resolve("root/tmp"));
            Files.writeString(d.resolve("f"), "x");
            doomed.add(d.getParent().getParent());
        }
        doomed.forEach(cleaner::delete);

        cleaner.close();

        assertThat(doomed).allSatisfy(d -> assertThat(d).doesNotExist());
        Path late = Files.createDirectories(workRoot.resolve("late" + DirectoryCleaner.DOOMED_SUFFIX));
        cleaner.delete(late);
        assertThat(late).doesNotExist();
    }

    @Test
    void sweepDeletesDirectoriesADeadJvmLeftDoomedButNoLiveTaskDirectory(@TempDir Path workRoot) throws Exception {
        Path doomed = Files.createDirectories(workRoot.resolve("task-123" + DirectoryCleaner.DOOMED_SUFFIX)
                .resolve("root/tmp/locked"));
        Files.writeString(doomed.resolve("file"), "x");
        // A task may leave a directory it cannot read; the cleaner opens it up.
        Files.setPosixFilePermissions(doomed, PosixFilePermissions.fromString("---------"));
        Path live = Files.createDirectories(workRoot.resolve("task-456/root/tmp"));

        DirectoryCleaner cleaner = new DirectoryCleaner();
        cleaner.sweep(workRoot);
        cleaner.awaitIdle();
        cleaner.close();

        assertThat(workRoot.resolve("task-123" + DirectoryCleaner.DOOMED_SUFFIX)).doesNotExist();
        assertThat(live).isDirectory();
    }

    @Test
    void sweepOfAMissingWorkRootDoesNothing(@TempDir Path parent) throws Exception {
        DirectoryCleaner cleaner = new DirectoryCleaner();
        cleaner.sweep(parent.resolve("never-created"));
        cleaner.awaitIdle();
        cleaner.close();
        assertThat(parent.resolve("never-created")).doesNotExist();
    }
}
