package dev.weft.engine.task.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a command can be started, looked up as {@link ProcessBuilder} would (a path, or a name on the JVM's
 * {@code PATH}). One per sandbox: it remembers where each name was last found, so the usual case is one file check
 * instead of one per {@code PATH} entry before the hit.
 */
final class CommandLookup {

    /** Bounded: command names come from workflows. */
    private static final int MAX_REMEMBERED = 256;

    private final Map<String, Path> lastFound = new ConcurrentHashMap<>();

    /** Whether {@code name} is an executable path, or found on the JVM's PATH. */
    boolean isRunnable(String name) {
        if (name.contains("/")) {
            return isExecutableFile(Path.of(name));
        }
        // Only whether it is found anywhere matters, not where: so the directory of the last hit goes first.
        Path known = lastFound.get(name);
        if (known != null && isExecutableFile(known)) {
            return true;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (isExecutableFile(candidate)) {
                if (lastFound.size() < MAX_REMEMBERED) {
                    lastFound.put(name, candidate);
                }
                return true;
            }
        }
        return false;
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isExecutable(file) && !Files.isDirectory(file);
    }
}
