package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The per-task root for bubblewrap: which host paths are bound read-only into it, and the symbolic links and
 * directories created in it. Every host top-level directory is bound whole, except {@code /tmp} (the task's own),
 * {@code /proc}, {@code /dev}, {@code /sys} (provided by bubblewrap) and each existing ancestor of a declared path,
 * whose children are bound one by one so that the declared path itself belongs to the task. Host symbolic links
 * ({@code /bin -> usr/bin}) are recreated in the root rather than bound, since bubblewrap 0.8's {@code --symlink}
 * fails on an existing root.
 */
final class BubblewrapLayout {

    private final List<String> bindArgs;
    private final List<String> boundPaths;

    private BubblewrapLayout(List<String> bindArgs, List<String> boundPaths) {
        this.bindArgs = List.copyOf(bindArgs);
        this.boundPaths = List.copyOf(boundPaths);
    }

    /**
     * Lays out {@code root} for the declared paths.
     *
     * @param ownedPaths normalized declared paths (outside the reserved ones)
     */
    static BubblewrapLayout create(Path root, Collection<String> ownedPaths) throws IOException {
        return create(root, ownedPaths, List.of());
    }

    /**
     * Lays out {@code root} for the declared paths, leaving out {@code hiddenPaths}: each one under a bound host
     * directory becomes an empty directory of the task's own (its ancestors are bound child by child).
     */
    static BubblewrapLayout create(Path root, Collection<String> ownedPaths, Collection<Path> hiddenPaths)
            throws IOException {
        Set<String> owned = new HashSet<>(ownedPaths);
        owned.add(SandboxPaths.TMP);
        Set<String> ancestors = new HashSet<>();
        for (String path : owned) {
            for (String a = SandboxPaths.parent(path); !a.equals("/"); a = SandboxPaths.parent(a)) {
                ancestors.add(a);
            }
        }
        Set<String> hidden = new HashSet<>();
        for (Path h : hiddenPaths) {
            hidden.add(h.toAbsolutePath().normalize().toString());
            if (Files.exists(h)) {
                hidden.add(h.toRealPath().toString());
            }
        }
        hidden.removeIf(h -> h.equals("/") || owned.stream().anyMatch(o -> SandboxPaths.isUnder(h, o)));
        Set<String> hiddenAncestors = new HashSet<>();
        for (String path : hidden) {
            for (String a = SandboxPaths.parent(path); !a.equals("/"); a = SandboxPaths.parent(a)) {
                hiddenAncestors.add(a);
            }
        }
        List<String> args = new ArrayList<>();
        List<String> bound = new ArrayList<>();
        expand("/", root, owned, ancestors, hidden, hiddenAncestors, args, bound);
        args.addAll(List.of("--dev", "/dev", "--proc", "/proc", "--ro-bind", "/sys", "/sys"));
        for (String path : owned) {
            Files.createDirectories(hostPath(root, SandboxPaths.parent(path)));
        }
        return new BubblewrapLayout(args, bound);
    }

    private static void expand(String dir, Path root, Set<String> owned, Set<String> ancestors,
                               Set<String> hidden, Set<String> hiddenAncestors,
                               List<String> args, List<String> bound) throws IOException {
        Set<String> children = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(Path.of(dir))) {
            for (Path child : stream) {
                children.add((dir.equals("/") ? "" : dir) + "/" + child.getFileName());
            }
        }
        for (String child : children) {
            Path host = Path.of(child);
            if (owned.contains(child) || SandboxPaths.RESERVED.contains(child)) {
                continue;
            }
            if (hidden.contains(child)) {
                // Not bound: the task sees an empty directory of its own there (or nothing, for a file).
                if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(hostPath(root, child));
                }
                continue;
            }
            if (Files.isSymbolicLink(host)) {
                if (ancestors.contains(child)) {
                    throw new IllegalArgumentException("a declared path lies under " + child
                            + ", which is a symbolic link on the host; declare the path it points to instead");
                }
                Path link = hostPath(root, child);
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, Files.readSymbolicLink(host));
            } else if ((ancestors.contains(child) || hiddenAncestors.contains(child))
                    && Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(hostPath(root, child));
                expand(child, root, owned, ancestors, hidden, hiddenAncestors, args, bound);
            } else if (!ancestors.contains(child) && !hiddenAncestors.contains(child)) {
                args.add("--ro-bind");
                args.add(child);
                args.add(child);
                bound.add(child);
            }
            // An ancestor that is a plain file on the host is shadowed by the task's own directory.
        }
    }

    private static Path hostPath(Path root, String path) {
        return path.equals("/") ? root : root.resolve(SandboxPaths.relative(path));
    }

    /** The bubblewrap arguments that bind the host into the root (after {@code --bind root /}). */
    List<String> bindArgs() {
        return bindArgs;
    }

    /** Whether the task sees {@code path} through a read-only host bind (so it cannot create it). */
    boolean isHostBound(String path) {
        for (String b : boundPaths) {
            if (SandboxPaths.isUnder(path, b)) {
                return true;
            }
        }
        for (String reserved : SandboxPaths.RESERVED) {
            if (SandboxPaths.isUnder(path, reserved)) {
                return true;
            }
        }
        return false;
    }
}
