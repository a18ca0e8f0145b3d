package dev.weft.engine.store;

import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.RangedReads;
import dev.weft.storage.spi.StoreDescription;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The built-in store (type {@code fs}): one file per artifact under a root directory, key segments as directories.
 *
 * <p>Writes go to a staging directory inside the root and are moved into place atomically, so a reader never sees a
 * partial file and a failed write leaves the previous object. Every key maps to a path checked to stay inside the
 * root, including through symbolic links placed in the root by someone else.
 */
public final class FileSystemArtifactStore implements ArtifactStore, RangedReads {

    /** Directory under the root that holds in-flight writes; never listed, and not usable as a key. */
    static final String STAGING_DIR = ".weft-staging";

    private static final int BUFFER = 64 * 1024;

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
     * @param sync whether to force each written file to disk before making it visible (durability over speed)
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
        try (InputStream in = Files.newInputStream(source)) {
            put(key, in, Files.size(source));
        } catch (NoSuchFileException e) {
            throw failure(Kind.NOT_FOUND, "cannot store '" + key + "': source file " + source + " does not exist", e);
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot store '" + key + "' from " + source + ": " + describe(e), e);
        }
    }

    @Override
    public void put(ArtifactKey key, InputStream data, long length) {
        Path target = pathOf(key);
        Path temp = staging.resolve(UUID.randomUUID() + ".part");
        try {
            long written;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                written = copy(data, Channels.newOutputStream(channel));
                if (sync) {
                    channel.force(true);
                }
            }
            if (length >= 0 && written != length) {
                throw failure(Kind.FAILED, "cannot store '" + key + "': the stream gave " + written
                        + " bytes but " + length + " were declared", null);
            }
            Files.createDirectories(target.getParent());
            checkInsideRoot(key, target.getParent());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException | NotDirectoryException | DirectoryNotEmptyException e) {
            throw failure(Kind.FAILED, "cannot store '" + key + "': a file and a directory would share the path "
                    + e.getFile() + " (the fs store cannot hold both 'a' and 'a/b')", e);
        } catch (AccessDeniedException e) {
            throw failure(Kind.ACCESS_DENIED, "cannot store '" + key + "': permission denied on " + e.getFile(), e);
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot store '" + key + "': " + describe(e), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public InputStream open(ArtifactKey key) {
        Path path = existingPathOf(key);
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw ArtifactStoreException.notFound(where(), key);
        } catch (IOException e) {
            throw failure(Kind.FAILED, "cannot read '" + key + "': " + describe(e), e);
        }
    }

    @Override
    public InputStream open(ArtifactKey key, long offset, long length) {
        Path path = existingPathOf(key);
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
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
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw ArtifactStoreException.notFound(where(), key);
        }
        checkInsideRoot(key, path.getParent());
        return path;
    }

    /** Refuses a key whose directory resolves, through symbolic links, to somewhere outside the root. */
    private void checkInsideRoot(ArtifactKey key, Path directory) {
        try {
            if (Files.exists(directory) && !directory.toRealPath().startsWith(realRoot)) {
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

    private static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            total += n;
        }
        out.flush();
        return total;
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
