package dev.weft.engine.artifact;

import dev.weft.engine.artifact.ArtifactException.Reason;
import dev.weft.storage.spi.ArtifactKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Unpacks one archive into a fresh staging directory, refusing anything unsafe, then names the part to place
 * (Argo's layout: a single top-level entry is the artifact itself; {@code subPath} selects inside it).
 *
 * <p>The rules, each failing with an {@link ArtifactException} naming the artifact, key and entry:
 * <ul>
 *   <li>entry names must be relative and free of {@code ..} segments;</li>
 *   <li>only files, directories, symbolic links and (tar) hard links; devices, FIFOs and unknown types are refused;</li>
 *   <li>symbolic links are created last, after every file and directory, so no entry is ever written through a link;
 *       each must stay inside the extracted tree, checked by following links on the real file system
 *       ({@link LinkCheck}), first against the whole staging tree and then against the part finally placed;</li>
 *   <li>hard links must name a regular file extracted earlier from the same archive;</li>
 *   <li>the {@link UnpackLimits} bound inflated bytes, ratio and entry count.</li>
 * </ul>
 * Permission bits are restored without setuid/setgid/sticky; directory modes are applied last, deepest first, so a
 * read-only directory does not block its own extraction.
 */
final class ArchiveExtractor {

    private final String artifact;
    private final ArtifactKey key;
    private final UnpackLimits limits;
    private final Path staging;
    private final String subPath;
    private final Set<String> topNames = new LinkedHashSet<>();
    private final Map<String, String> symlinks = new LinkedHashMap<>();
    private final Map<Path, Integer> directoryModes = new LinkedHashMap<>();
    private long entries;

    /**
     * @param staging an empty directory to unpack into
     * @param subPath the normalized subPath ("a/b"), or {@code null} for the whole artifact
     */
    ArchiveExtractor(String artifact, ArtifactKey key, UnpackLimits limits, Path staging, String subPath) {
        this.artifact = artifact;
        this.key = key;
        this.limits = limits;
        this.staging = staging;
        this.subPath = subPath;
    }

    /** Unpacks a tar stream (already decompressed, and counted by {@code limited}). */
    void extractTar(LimitedInputStream limited) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(limited, StandardCharsets.UTF_8.name());
        TarArchiveEntry entry;
        while ((entry = nextTarEntry(tar)) != null) {
            String name = entry.getName();
            limited.entry(name);
            countEntry(name);
            String relative = relativeName(name);
            if (relative == null || !wanted(relative)) {
                continue;
            }
            Path destination = staging.resolve(relative);
            if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                throw new ArtifactException(Reason.SPECIAL_FILE, artifact, key, name,
                        "device and FIFO entries are not unpacked");
            } else if (entry.isSymbolicLink()) {
                symlink(name, relative, entry.getLinkName());
            } else if (entry.isLink()) {
                hardLink(name, destination, entry.getLinkName());
            } else if (entry.isDirectory()) {
                directory(name, destination, entry.getMode());
            } else if (entry.isFile() && isPlainFileFlag(entry.getLinkFlag())) {
                file(name, destination, tar, entry.getMode(), entry.getLastModifiedTime());
            } else {
                throw new ArtifactException(Reason.SPECIAL_FILE, artifact, key, name,
                        "unsupported tar entry type '" + (char) entry.getLinkFlag() + "'");
            }
        }
        limited.entry(null);
        createSymlinks();
    }

    /** Unpacks a zip file, reading its central directory (the authoritative index, where Unix modes live). */
    void extractZip(Path zipPath, LongSupplier storedBytes) throws IOException {
        LimitedInputStream.Budget budget = new LimitedInputStream.Budget(limits, storedBytes, artifact, key);
        try (ZipFile zip = ZipFile.builder().setPath(zipPath).get()) {
            Enumeration<ZipArchiveEntry> all = zip.getEntriesInPhysicalOrder();
            for (ZipArchiveEntry entry : Collections.list(all)) {
                String name = entry.getName();
                countEntry(name);
                String relative = relativeName(name);
                if (relative == null || !wanted(relative)) {
                    continue;
                }
                Path destination = staging.resolve(relative);
                int unixMode = entry.getUnixMode();
                int type = unixMode & 0170000;
                if (entry.isUnixSymlink()) {
                    symlink(name, relative, readLinkTarget(zip, entry, name));
                } else if (type != 0 && type != 0100000 && type != 0040000) {
                    throw new ArtifactException(Reason.SPECIAL_FILE, artifact, key, name,
                            String.format("Unix file type %06o is not a file, directory or link", type));
                } else if (entry.isDirectory()) {
                    directory(name, destination, unixMode == 0 ? 0755 : unixMode);
                } else {
                    if (!zip.canReadEntryData(entry)) {
                        throw new ArtifactException(Reason.IO, artifact, key, name,
                                "unsupported zip compression method or encryption");
                    }
                    try (InputStream raw = zip.getInputStream(entry)) {
                        LimitedInputStream limited = new LimitedInputStream(raw, budget);
                        limited.entry(name);
                        file(name, destination, limited, unixMode == 0 ? 0644 : unixMode,
                                entry.getLastModifiedTime());
                    }
                }
            }
        }
        createSymlinks();
    }

    /**
     * The path to place: the single top-level entry if there is one (Argo's layout), else the staging directory;
     * then {@code subPath} inside it. Symbolic links under it are checked again against it, since a link that stayed
     * inside the whole archive may leave the selected part.
     */
    Path result() throws IOException {
        Path root = staging;
        if (topNames.size() == 1) {
            Path top = staging.resolve(topNames.iterator().next());
            if (Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
                root = top;
            }
        }
        Path chosen = root;
        if (subPath != null) {
            chosen = root.resolve(subPath);
            if (!Files.exists(chosen, LinkOption.NOFOLLOW_LINKS)) {
                throw new ArtifactException(Reason.SUBPATH_NOT_FOUND, artifact, key, subPath,
                        "subPath not found in the artifact");
            }
            if (Files.isSymbolicLink(chosen)) {
                throw new ArtifactException(Reason.SUBPATH_NOT_FOUND, artifact, key, subPath,
                        "subPath names a symbolic link, not a file or directory");
            }
        }
        if (Files.isSymbolicLink(chosen)) {
            // Placed as the target itself, even a link to "." would point at the consumer's own directory.
            throw new ArtifactException(Reason.SYMLINK_ESCAPES, artifact, key, staging.relativize(chosen).toString(),
                    "the artifact itself is a symbolic link (to '" + Files.readSymbolicLink(chosen) + "')");
        }
        if (Files.isDirectory(chosen, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> links;
            try (Stream<Path> walk = Files.walk(chosen)) {
                links = walk.filter(Files::isSymbolicLink).toList();
            }
            for (Path link : links) {
                if (!LinkCheck.staysWithin(chosen, link)) {
                    throw new ArtifactException(Reason.SYMLINK_ESCAPES, artifact, key,
                            staging.relativize(link).toString(), "symbolic link to '"
                                    + Files.readSymbolicLink(link) + "' points outside the unpacked artifact");
                }
            }
        }
        return chosen;
    }

    /** Applies directory modes deepest first, except {@code except} (applied after it is moved into place). */
    void applyDirectoryModes(Path except) throws IOException {
        List<Map.Entry<Path, Integer>> ordered = new ArrayList<>(directoryModes.entrySet());
        ordered.sort((a, b) -> Integer.compare(b.getKey().getNameCount(), a.getKey().getNameCount()));
        for (Map.Entry<Path, Integer> e : ordered) {
            if (!e.getKey().equals(except) && Files.isDirectory(e.getKey(), LinkOption.NOFOLLOW_LINKS)) {
                PosixModes.apply(e.getKey(), e.getValue());
            }
        }
    }

    /** The mode recorded for a directory, or -1. */
    int directoryMode(Path dir) {
        return directoryModes.getOrDefault(dir, -1);
    }

    private TarArchiveEntry nextTarEntry(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IllegalArgumentException e) {
            // Commons Compress reports some malformed headers this way.
            throw new IOException("malformed tar header: " + e.getMessage(), e);
        }
    }

    private static boolean isPlainFileFlag(byte flag) {
        return flag == '0' || flag == 0 || flag == '7';
    }

    private void countEntry(String name) {
        if (++entries > limits.maxEntries()) {
            throw new ArtifactException(Reason.TOO_MANY_ENTRIES, artifact, key, name,
                    "more than " + limits.maxEntries() + " entries (limit maxEntries)");
        }
    }

    /** The entry's safe relative path, or {@code null} for the archive root itself ("./"). */
    private String relativeName(String name) {
        if (name.startsWith("/") || name.matches("^[A-Za-z]:[/\\\\].*")) {
            throw new ArtifactException(Reason.ENTRY_ESCAPES, artifact, key, name, "absolute entry path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new ArtifactException(Reason.ENTRY_ESCAPES, artifact, key, name,
                        "entry path has a '..' segment");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                if (part.indexOf('\0') >= 0) {
                    throw new ArtifactException(Reason.ENTRY_ESCAPES, artifact, key, name,
                            "entry path has a NUL character");
                }
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        topNames.add(parts.get(0));
        return String.join("/", parts);
    }

    /** With a subPath, only entries inside it are unpacked, whether the archive has one top-level entry or not. */
    private boolean wanted(String relative) {
        if (subPath == null) {
            return true;
        }
        if (within(relative, subPath)) {
            return true;
        }
        int slash = relative.indexOf('/');
        return slash > 0 && within(relative.substring(slash + 1), subPath);
    }

    private static boolean within(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private void directory(String name, Path destination, int mode) throws IOException {
        if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArtifactException(Reason.CONFLICT, artifact, key, name,
                    "directory entry clashes with a file of the same name");
        }
        Files.createDirectories(destination);
        directoryModes.put(destination, mode & 0777);
    }

    private void file(String name, Path destination, InputStream data, int mode, FileTime modified)
            throws IOException {
        Files.createDirectories(destination.getParent());
        if (Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArtifactException(Reason.CONFLICT, artifact, key, name,
                    "file entry clashes with a directory of the same name");
        }
        try (OutputStream out = Files.newOutputStream(destination)) {
            data.transferTo(out);
        }
        PosixModes.apply(destination, mode & 0777);
        if (modified != null) {
            Files.setLastModifiedTime(destination, modified);
        }
    }

    private void symlink(String name, String relative, String target) {
        if (target == null || target.isEmpty()) {
            throw new ArtifactException(Reason.SYMLINK_ESCAPES, artifact, key, name, "symbolic link without a target");
        }
        if (target.startsWith("/")) {
            throw new ArtifactException(Reason.SYMLINK_ESCAPES, artifact, key, name,
                    "symbolic link to absolute path '" + target + "' points outside the artifact");
        }
        // Lexical pre-check for an early, precise error; the real check follows links once all exist.
        Path resolved = staging.resolve(relative).getParent().resolve(target).normalize();
        if (!resolved.startsWith(staging)) {
            throw new ArtifactException(Reason.SYMLINK_ESCAPES, artifact, key, name,
                    "symbolic link to '" + target + "' points outside the artifact");
        }
        symlinks.put(relative, target);
    }

    private void hardLink(String name, Path destination, String linkName) throws IOException {
        String target;
        try {
            target = linkName == null ? null : relativeName(linkName);
        } catch (ArtifactException e) {
            throw new ArtifactException(Reason.HARDLINK_ESCAPES, artifact, key, name,
                    "hard link to '" + linkName + "' points outside the artifact");
        }
        if (target == null) {
            throw new ArtifactException(Reason.HARDLINK_ESCAPES, artifact, key, name,
                    "hard link to the archive root");
        }
        Path existing = staging.resolve(target);
        if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArtifactException(Reason.HARDLINK_ESCAPES, artifact, key, name,
                    "hard link to '" + linkName + "', which is not a file unpacked before it"
                            + (subPath == null ? "" : " inside subPath '" + subPath + "'"));
        }
        Files.createDirectories(destination.getParent());
        Files.deleteIfExists(destination);
        Files.createLink(destination, existing);
    }

    private void createSymlinks() throws IOException {
        for (Map.Entry<String, String> link : symlinks.entrySet()) {
            Path destination = staging.resolve(link.getKey());
            try {
                Files.createDirectories(destination.getParent());
                Files.createSymbolicLink(destination, destination.getFileSystem().getPath(link.getValue()));
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw new ArtifactException(Reason.CONFLICT, artifact, key, link.getKey(),
                        "symbolic link clashes with another entry of the same name");
            }
            if (!LinkCheck.staysWithin(staging, destination)) {
                throw new ArtifactException(Reason.SYMLINK_ESCAPES, artifact, key, link.getKey(),
                        "symbolic link to '" + link.getValue() + "' resolves outside the artifact through other links");
            }
        }
    }

    private String readLinkTarget(ZipFile zip, ZipArchiveEntry entry, String name) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(4097);
            if (bytes.length > 4096) {
                throw new ArtifactException(Reason.SYMLINK_ESCAPES, artifact, key, name,
                        "symbolic link target longer than 4096 bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Moves {@code source} onto {@code target} atomically (same directory, so a rename). */
    static void place(String artifact, ArtifactKey key, Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (DirectoryNotEmptyException e) {
            throw new ArtifactException(Reason.CONFLICT, artifact, key, null,
                    "target " + target + " is a directory that is not empty");
        } catch (IOException e) {
            throw new ArtifactException(Reason.CONFLICT, artifact, key, null,
                    "cannot move the unpacked artifact to " + target + ": " + e, e);
        }
    }
}
