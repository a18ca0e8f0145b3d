package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the processes of one session through {@code /proc}. Modes without a PID namespace start each command as
 * the leader of its own session ({@code setsid}), so whatever it leaves running in the background can still be
 * found and ended after it has exited and its children were re-parented.
 */
final class SessionSweeper {

    private static final Path PROC = Path.of("/proc");

    private SessionSweeper() {
    }

    /** Whether sessions can be listed here. */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self").resolve("stat"));
    }

    /** The live processes whose session id is {@code sid}. */
    static List<ProcessHandle> members(long sid) {
        List<ProcessHandle> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, SessionSweeper::isPid)) {
            for (Path entry : entries) {
                if (sessionOf(entry) == sid) {
                    ProcessHandle.of(Long.parseLong(entry.getFileName().toString())).ifPresent(members::add);
                }
            }
        } catch (IOException e) {
            // /proc vanished: nothing to sweep.
        }
        return members;
    }

    private static boolean isPid(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** Field 6 of /proc/PID/stat; the command name before it may contain spaces and parentheses. */
    private static long sessionOf(Path procEntry) {
        try {
            // Read line-wise: /proc files report size 0, which Files.readString mishandles.
            String stat = Files.readAllLines(procEntry.resolve("stat")).get(0);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[3]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }
}
