package dev.weft.engine.task.process;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/** Absolute POSIX paths as a task sees them (independent of the host's separator). */
final class SandboxPaths {

    /** Paths the sandbox itself provides; a task can never own anything under them. */
    static final Set<String> RESERVED = Set.of("/proc", "/dev", "/sys");

    static final String TMP = "/tmp";

    private SandboxPaths() {
    }

    /**
     * Normalizes an absolute task path: collapses {@code //}, {@code .} and {@code ..}, drops a trailing slash.
     *
     * @param what names the path in the error, e.g. "declared path"
     * @throws IllegalArgumentException for a relative path or one that climbs above {@code /}
     */
    static String normalize(String path, String what) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException(what + " '" + path + "' is not an absolute path");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new IllegalArgumentException(what + " '" + path + "' climbs above /");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
    }

    /** Whether {@code path} is {@code prefix} or lies below it (both normalized). */
    static boolean isUnder(String path, String prefix) {
        return path.equals(prefix) || prefix.equals("/") || path.startsWith(prefix + "/");
    }

    /** The parent of a normalized path other than {@code /}. */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** The path without its leading slash, for resolving against a host directory. */
    static String relative(String path) {
        return path.substring(1);
    }
}
