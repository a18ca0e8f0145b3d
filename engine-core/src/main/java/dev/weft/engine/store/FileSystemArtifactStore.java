package dev.weft.engine.store;

import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.RangedReads;
import dev.weft.storage.spi.StoreDescription;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * The built-in store (type {@code fs}): one file per artifact under a root directory, key segments as directories.
 *
 * <p>Writes go to a staging directory inside the root and are moved into place atomically, so a reader never sees a
 * partial file and a failed write leaves the previous object. With {@code sync} a put returns only once the file and
 * the directory entry the move made are on disk (fsync of the file, then of its directory): what it stored survives
 * a crash. Files are copied kernel to kernel ({@code transferTo}) where both ends are files. Every key maps to a path
 * checked to stay inside the root, including through symbolic links placed in the root by someone else: that check
 * costs one {@code lstat} per key segment on every read and write.
 */
public final class FileSystemArtifactStore implements ArtifactStore, RangedReads {

    /** Directory under the root that holds in-flight writes; never listed, and not usable as a key. */
    static final String STAGING_DIR = ".weft-staging";

    private static final int BUFFER = 64 * 1024;

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** Permissions of a download while it is partial; none where the file system has no POSIX permissions. */
    private static final FileAttribute<?>[] OWNER_ONLY = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];

    private final String name;
    private final Path root;
    private final Path realRoot;
    private final Path staging;
    private final boolean sync;

    /**
     * A store rooted at {@code root}, created if missing.
     *
     * @param name what the engine calls this store
     * @param root the directory holding the artifacts
     * @param sync whether to force each written file to disk before making it visible, and its directory entry
     *             after (durability over speed)
     */
    public FileSystemArtifactStore(String name, Path root, boolean sync) {
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
        this.sync = sync;
        try {
            Files.createDirectories(this.root);
            this.realRoot = this.root.toRealPath();
            this.staging = Files.createDirectories(realRoot.resolve(STAGING_DIR));
        } catch (IOException e) {
            throw new ArtifactStoreException(Kind.INVALID_CONFIG,
                    "fs store '" + name + "': cannot use root " + this.root + ": " + describe(e), e);
        }
    }

    @Override
    public void put(ArtifactKey key, Path source) {
        Path target = pathOf(key);
        FileChannel in;
        try {
            in = FileChannel.open(source, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw failure(Kind.NOT_FOUND, "cannot store '" + key + "': source file " + source + " does not exist", e);
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot store '" + key + "' from " + source + ": " + describe(e), e);
        }
        try (in) {
            // The kernel copies file to file (sendfile): no bytes pass through the Java heap.
            long size = in.size();
            write(key, target, out -> transfer(in, size, out), size);
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot store '" + key + "' from " + source + ": " + describe(e), e);
        }
    }

    @Override
    public void put(ArtifactKey key, InputStream data, long length) {
        write(key, pathOf(key), out -> copy(data, out), length);
    }

    /**
     * Writes a staging file with {@code content}, checks its length, forces it to disk when {@code sync} is set, and
     * moves it onto {@code target} atomically; with {@code sync} the target's directory is forced too, since the
     * rename is only durable once the directory entry is.
     */
    private void write(ArtifactKey key, Path target, Content content, long length) {
        Path temp = newStagingFile();
        boolean moved = false;
        try {
            long written;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                written = content.writeTo(channel);
                if (sync) {
                    channel.force(true);
                }
            }
            if (length >= 0 && written != length) {
                throw failure(Kind.FAILED, "cannot store '" + key + "': the stream gave " + written
                        + " bytes but " + length + " were declared", null);
            }
            Path directory = target.getParent();
            prepareDirectory(key, directory);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            if (sync) {
                forceDirectory(directory);
            }
        } catch (FileAlreadyExistsException | NotDirectoryException | DirectoryNotEmptyException e) {
            throw failure(Kind.FAILED, "cannot store '" + key + "': a file and a directory would share the path "
                    + e.getFile() + " (the fs store cannot hold both 'a' and 'a/b')", e);
        } catch (AccessDeniedException e) {
            throw failure(Kind.ACCESS_DENIED, "cannot store '" + key + "': permission denied on " + e.getFile(), e);
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot store '" + key + "': " + describe(e), e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * Copies the object to {@code target} through a hidden temporary file beside it, kernel to kernel, so the file
     * appears whole or not at all. Not forced to disk: a download is a working copy the task can fetch again.
     */
    @Override
    public void get(ArtifactKey key, Path target) {
        Path source = existingPathOf(key);
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temp = null;
        boolean moved = false;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
            }
            temp = directory.resolve("." + absolute.getFileName() + "." + Long.toHexString(
                    ThreadLocalRandom.current().nextLong()) + ".part");
            // Owner-only while partial, as the SPI's default get leaves it (Files.createTempFile).
            try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), OWNER_ONLY)) {
                transfer(in, in.size(), out);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (NoSuchFileException e) {
            if (source.toString().equals(e.getFile())) {
                throw ArtifactStoreException.notFound(where(), key);
            }
            throw failure(Kind.FAILED, "cannot copy '" + key + "' to " + absolute + ": " + describe(e), e);
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot copy '" + key + "' to " + absolute + ": " + describe(e), e);
        } finally {
            if (!moved && temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    @Override
    public InputStream open(ArtifactKey key) {
        Path path = existingPathOf(key);
        try {
            // FileInputStream rather than Files.newInputStream: its readAllBytes knows the file's size and reads it
            // in one go (JDK 17), where the channel stream's grows a buffer in 8 KiB steps.
            return new FileInputStream(path.toFile());
        } catch (FileNotFoundException e) {
            // FileInputStream says "not found" for every failure to open, permission denied included.
            if (Files.notExists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw ArtifactStoreException.notFound(where(), key);
            }
            Kind kind = Files.isReadable(path) ? Kind.FAILED : Kind.ACCESS_DENIED;
            throw failure(kind, "cannot read '" + key + "': " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(ArtifactKey key, long offset, long length) {
        Path path = existingPathOf(key);
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            channel.position(offset);
            return BoundedInputStream.builder().setInputStream(Channels.newInputStream(channel)).setMaxCount(length)
                    .get();
        } catch (NoSuchFileException e) {
            throw ArtifactStoreException.notFound(where(), key);
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot read '" + key + "': " + describe(e), e);
        }
    }

    @Override
    public Optional<ArtifactInfo> stat(ArtifactKey key) {
        Path path = pathOf(key);
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(ArtifactInfo.of(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot stat '" + key + "': " + describe(e), e);
        }
    }

    @Override
    public Stream<ArtifactInfo> list(String prefix) {
        // Walk only the deepest directory the prefix names: listing "a/b/c" never reads outside "a/b".
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? realRoot : realRoot.resolve(prefix.substring(0, slash));
        if (!start.normalize().startsWith(realRoot) || !Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return Stream.empty();
        }
        List<ArtifactInfo> found = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(start)) {
            paths.filter(p -> !p.startsWith(staging))
                    .forEach(p -> toInfo(p).filter(i -> i.key().hasPrefix(prefix)).ifPresent(found::add));
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot list prefix '" + prefix + "': " + describe(e), e);
        }
        found.sort(Comparator.comparing(ArtifactInfo::key));
        return found.stream();
    }

    @Override
    public void delete(ArtifactKey key) {
        Path path = pathOf(key);
        try {
            Files.deleteIfExists(path);
            pruneEmptyParents(path.getParent());
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot delete '" + key + "': " + describe(e), e);
        }
    }

    @Override
    public StoreDescription describe() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("root", root.toString());
        attributes.put("sync", Boolean.toString(sync));
        return new StoreDescription("fs", name, attributes, CredentialReport.none());
    }

    @Override
    public void close() {
        // Nothing to release: no clients, no threads.
    }

    @Override
    public String toString() {
        return describe().toString();
    }

    private String where() {
        return describe().where();
    }

    private Path pathOf(ArtifactKey key) {
        if (key.value().equals(STAGING_DIR) || key.value().startsWith(STAGING_DIR + "/")) {
            throw failure(Kind.FAILED, "key '" + key + "' is reserved for the store's own staging area", null);
        }
        Path path = realRoot.resolve(key.value()).normalize();
        if (!path.startsWith(realRoot)) {
            // ArtifactKey forbids '..', so this is a defence in depth, not an expected path.
            throw failure(Kind.FAILED, "key '" + key + "' escapes the store root", null);
        }
        return path;
    }

    private Path existingPathOf(ArtifactKey key) {
        Path path = pathOf(key);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw ArtifactStoreException.notFound(where(), key);
        } catch (IOException e) {
            if (!Files.isDirectory(path.getParent())) {
                // ENOTDIR: a segment of the key is a file ("a" exists, "a/b" was asked), so no such object.
                throw ArtifactStoreException.notFound(where(), key);
            }
            throw failure(Kind.FAILED, "cannot read '" + key + "': " + describe(e), e);
        }
        if (attributes.isDirectory()) {
            throw ArtifactStoreException.notFound(where(), key);
        }
        try {
            walkDirectories(key, path.getParent(), false);
        } catch (NoSuchFileException e) {
            throw ArtifactStoreException.notFound(where(), key); // removed while we looked
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot read '" + key + "': " + describe(e), e);
        }
        if (attributes.isSymbolicLink()) {
            // The file itself may be a link too: it must not lead outside the root either.
            checkInsideRoot(key, path);
        }
        return path;
    }

    /**
     * Makes sure the key's directory exists and lies inside the root, creating what is missing. One {@code lstat}
     * per key segment in the common case (no links), instead of a {@code mkdir} that fails with an exception plus a
     * full {@code realpath} of the absolute path; a segment that is a link falls back to resolving it. With
     * {@code sync}, each directory created is made durable in its parent.
     */
    private void prepareDirectory(ArtifactKey key, Path directory) throws IOException {
        walkDirectories(key, directory, true);
    }

    /**
     * Checks each directory from the root down to {@code directory}: a real directory passes, a link must resolve
     * inside the root, anything else is a clash. A missing one is created when {@code create} is set.
     */
    private void walkDirectories(ArtifactKey key, Path directory, boolean create) throws IOException {
        Path relative = realRoot.relativize(directory);
        Path current = realRoot;
        for (Path segment : relative) {
            if (segment.toString().isEmpty()) {
                continue; // the key sits directly in the root
            }
            Path parent = current;
            current = current.resolve(segment);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                if (!create) {
                    throw e;
                }
                try {
                    Files.createDirectory(current);
                } catch (FileAlreadyExistsException raced) {
                    // Another put created it (or something else appeared) in between: look again.
                    attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    checkDirectory(key, current, attributes);
                    continue;
                }
                if (sync) {
                    forceDirectory(parent);
                }
                continue;
            }
            checkDirectory(key, current, attributes);
        }
    }

    private void checkDirectory(ArtifactKey key, Path directory, BasicFileAttributes attributes) throws IOException {
        if (attributes.isSymbolicLink()) {
            checkInsideRoot(key, directory);
            if (!Files.isDirectory(directory)) {
                throw new FileAlreadyExistsException(directory.toString());
            }
        } else if (!attributes.isDirectory()) {
            throw new FileAlreadyExistsException(directory.toString());
        }
    }

    /** Refuses a key whose path resolves, through symbolic links, to somewhere outside the root. */
    private void checkInsideRoot(ArtifactKey key, Path path) {
        try {
            if (Files.exists(path) && !path.toRealPath().startsWith(realRoot)) {
                throw failure(Kind.ACCESS_DENIED, "key '" + key + "' resolves outside the store root through a "
                        + "symbolic link", null);
            }
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot resolve '" + key + "': " + describe(e), e);
        }
    }

    private Optional<ArtifactInfo> toInfo(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            String relative = realRoot.relativize(path).toString().replace('\\', '/');
            if (!ArtifactKey.isValid(relative)) {
                return Optional.empty();
            }
            return Optional.of(ArtifactInfo.of(ArtifactKey.of(relative), attributes.size(),
                    attributes.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted while we walked: not part of the listing
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot read attributes of " + path + ": " + describe(e), e);
        }
    }

    private void pruneEmptyParents(Path directory) {
        Path current = directory;
        while (current != null && current.startsWith(realRoot) && !current.equals(realRoot)) {
            try {
                Files.delete(current);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                return; // an empty directory left behind is harmless
            }
            current = current.getParent();
        }
    }

    private static long copy(InputStream in, FileChannel out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            wrapped.clear().limit(n);
            while (wrapped.hasRemaining()) {
                out.write(wrapped);
            }
            total += n;
        }
        return total;
    }

    /** Copies {@code size} bytes file to file; transferTo may move fewer bytes per call than asked. */
    private static long transfer(FileChannel in, long size, FileChannel out) throws IOException {
        long done = 0;
        while (done < size) {
            long n = in.transferTo(done, size - done, out);
            if (n <= 0) {
                throw new IOException("the source file shrank while it was stored (" + done + " of " + size
                        + " bytes copied)");
            }
            done += n;
        }
        return done;
    }

    /**
     * Forces a directory's entries to disk: on POSIX systems a directory opens for reading and fsyncs like a file.
     * Windows cannot open a directory as a file, and NTFS journals its directory entries itself.
     */
    private static void forceDirectory(Path directory) throws IOException {
        if (!POSIX) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * A new staging file name. Random rather than a counter, since several engines may share one root; CREATE_NEW
     * refuses a clash. ThreadLocalRandom, not UUID: the names need to be distinct, not unguessable.
     */
    private Path newStagingFile() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return staging.resolve(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()) + ".part");
    }

    /** What a put writes into its staging file; returns the number of bytes written. */
    @FunctionalInterface
    private interface Content {
        long writeTo(FileChannel out) throws IOException;
    }

    private ArtifactStoreException failure(Kind kind, String message, Throwable cause) {
        return new ArtifactStoreException(kind, where() + ": " + message, cause);
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // A leftover staging file is invisible to readers; the write's own outcome is what matters.
        }
    }
}
