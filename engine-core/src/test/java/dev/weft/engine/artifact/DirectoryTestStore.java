package dev.weft.engine.artifact;

import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.StoreDescription;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A minimal {@link ArtifactStore} over a directory, for these tests only (the real filesystem store lives in
 * {@code dev.weft.engine.store}). It keeps the SPI's all-or-nothing promise the simple way: bytes go to a temporary
 * file under {@code .tmp/}, renamed onto the key only when the stream ended cleanly.
 */
final class DirectoryTestStore implements ArtifactStore {

    private final Path root;
    private final Path temp;
    private final java.util.concurrent.atomic.AtomicLong bytesReceived = new java.util.concurrent.atomic.AtomicLong();

    DirectoryTestStore(Path root) {
        this.root = root;
        this.temp = root.resolve(".tmp");
        try {
            Files.createDirectories(temp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path root() {
        return root;
    }

    /** Every stored object's key, in order (the temp area excluded). */
    List<String> keys() {
        try (Stream<ArtifactInfo> all = list("")) {
            return all.map(info -> info.key().value()).toList();
        }
    }

    /** Bytes read from put streams so far, failed puts included. */
    long bytesReceived() {
        return bytesReceived.get();
    }

    /** Files left in the temp area (a clean store has none). */
    List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.toList();
        }
    }

    @Override
    public void put(ArtifactKey key, Path source) {
        try (InputStream in = Files.newInputStream(source)) {
            put(key, in, Files.size(source));
        } catch (IOException e) {
            throw new ArtifactStoreException(ArtifactStoreException.Kind.FAILED, where() + ": " + e, e);
        }
    }

    @Override
    public void put(ArtifactKey key, InputStream data, long length) {
        Path part = null;
        try {
            part = Files.createTempFile(temp, "put", ".part");
            long copied;
            try (OutputStream out = Files.newOutputStream(part)) {
                byte[] buffer = new byte[8192];
                copied = 0;
                int n;
                while ((n = data.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    copied += n;
                    bytesReceived.addAndGet(n);
                }
            }
            if (length >= 0 && copied != length) {
                throw new IOException("stream gave " + copied + " bytes, expected " + length);
            }
            Path target = file(key);
            Files.createDirectories(target.getParent());
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ArtifactStoreException(ArtifactStoreException.Kind.FAILED,
                    where() + ": cannot store '" + key + "': " + e.getMessage(), e);
        } finally {
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // test double
                }
            }
        }
    }

    @Override
    public InputStream open(ArtifactKey key) {
        try {
            return Files.newInputStream(file(key));
        } catch (NoSuchFileException e) {
            throw ArtifactStoreException.notFound(where(), key);
        } catch (IOException e) {
            throw new ArtifactStoreException(ArtifactStoreException.Kind.FAILED, where() + ": " + e, e);
        }
    }

    @Override
    public Optional<ArtifactInfo> stat(ArtifactKey key) {
        Path file = file(key);
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(ArtifactInfo.of(key, Files.size(file), Files.getLastModifiedTime(file).toInstant()))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Stream<ArtifactInfo> list(String prefix) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(temp))
                    .map(p -> root.relativize(p).toString())
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .map(k -> stat(ArtifactKey.of(k)).orElseThrow())
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(ArtifactKey key) {
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StoreDescription describe() {
        return new StoreDescription("fs", "test", Map.of("root", root.toString()), CredentialReport.none());
    }

    @Override
    public void close() {
        // nothing to release
    }

    private Path file(ArtifactKey key) {
        return root.resolve(key.value());
    }

    private String where() {
        return describe().where();
    }
}
