package dev.weft.engine.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers: build trees, describe them for comparison, hash files. */
final class Trees {

    private Trees() {
    }

    /** Relative path -> "dir rwx...", "file rw-... <sha256>" or "link -> target", for every path under root. */
    static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.toList();
        }
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            out.put(rel.isEmpty() ? "." : rel, describeOne(p));
        }
        return out;
    }

    static String describeOne(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return "link -> " + Files.readSymbolicLink(p);
        }
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "dir " + perms;
        }
        return "file " + perms + " " + sha256(p);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = HashingInputStream.sha256();
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    static Path write(Path file, String content, String perms) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        return file;
    }

    /**
     * A tree with nested dirs, an empty dir, a private dir, executable/read-only files, unicode names and links that
     * stay inside.
     */
    static Path sampleTree(Path dir) throws IOException {
        Path root = dir.resolve("out");
        write(root.resolve("hello.txt"), "hello world\n", "rw-r--r--");
        write(root.resolve("bin/run.sh"), "#!/bin/sh\necho hi\n", "rwxr-xr-x");
        write(root.resolve("secret/key"), "k", "rw-------");
        Files.setPosixFilePermissions(root.resolve("secret"), PosixFilePermissions.fromString("rwx------"));
        write(root.resolve("données/日本語 😀.txt"), "unicode ✓", "r--r--r--");
        Files.createDirectories(root.resolve("empty/deeper-empty"));
        Files.setPosixFilePermissions(root.resolve("empty"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(root.resolve("bin/hello-link"), Path.of("../hello.txt"));
        Files.createSymbolicLink(root.resolve("dir-link"), Path.of("bin"));
        return root;
    }
}
