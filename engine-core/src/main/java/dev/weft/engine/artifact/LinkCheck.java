package dev.weft.engine.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Decides whether a symbolic link stays inside a root directory, following every link it passes through on the real
 * file system. A purely lexical check is not enough: with {@code s -> .} at the root, {@code a/b/s/../../../x}
 * normalizes to {@code x} yet really resolves above the root.
 */
final class LinkCheck {

    /** As the Linux kernel: more link hops than this is a loop. */
    private static final int MAX_HOPS = 40;

    private LinkCheck() {
    }

    /**
     * Whether the link at {@code link} (under {@code root}, reached through real directories only) resolves to a
     * path inside {@code root}. Components that do not exist are taken lexically.
     */
    static boolean staysWithin(Path root, Path link) throws IOException {
        Path relativeParent = root.relativize(link.getParent() == null ? root : link.getParent());
        List<String> current = new ArrayList<>();
        for (Path part : relativeParent) {
            String s = part.toString();
            if (!s.isEmpty()) {
                current.add(s);
            }
        }
        Deque<String> pending = new ArrayDeque<>();
        String firstTarget = Files.readSymbolicLink(link).toString();
        if (firstTarget.startsWith("/")) {
            return false;
        }
        pushFront(pending, firstTarget);
        int hops = 1;
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (current.isEmpty()) {
                    return false;
                }
                current.remove(current.size() - 1);
                continue;
            }
            current.add(part);
            Path here = root.resolve(String.join("/", current));
            if (Files.isSymbolicLink(here)) {
                if (++hops > MAX_HOPS) {
                    return false;
                }
                String target = Files.readSymbolicLink(here).toString();
                if (target.startsWith("/")) {
                    return false;
                }
                current.remove(current.size() - 1);
                pushFront(pending, target);
            } else if (!Files.exists(here, LinkOption.NOFOLLOW_LINKS)) {
                // The rest cannot pass through a link that does not exist yet: check it lexically.
                continue;
            }
        }
        return true;
    }

    private static void pushFront(Deque<String> pending, String target) {
        String[] parts = target.split("/", -1);
        for (int i = parts.length - 1; i >= 0; i--) {
            pending.addFirst(parts[i]);
        }
    }
}
