package dev.weft.engine.task.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host programs the sandbox modes need, found once on {@code PATH} (and the usual system directories, which a
 * service's {@code PATH} sometimes lacks).
 */
record HostTools(Optional<Path> shell, Optional<Path> bwrap, Optional<Path> unshare, Optional<Path> mount,
                 Optional<Path> setsid, boolean root, Optional<Path> setpriv) {

    static HostTools find() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin")) {
            dirs.add(Path.of(dir));
        }
        Optional<Path> shell = Files.isExecutable(Path.of("/bin/sh")) ? Optional.of(Path.of("/bin/sh")) : Optional.empty();
        return new HostTools(shell, which("bwrap", dirs), which("unshare", dirs), which("mount", dirs),
                SessionSweeper.available() ? which("setsid", dirs) : Optional.empty(), isRoot(),
                which("setpriv", dirs));
    }

    /** Whether this JVM runs as uid 0 (read from /proc; false where there is none). */
    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[0].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return false;
    }

    private static Optional<Path> which(String name, List<Path> dirs) {
        for (Path dir : dirs) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
