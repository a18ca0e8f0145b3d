package dev.weft.storage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.RangedReads;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ArtifactStore} must show. A store's test extends this class and supplies the store:
 *
 * <pre>{@code
 * class FileSystemArtifactStoreContractTest extends ArtifactStoreContract {
 *     protected ArtifactStore createStore() { return new FileSystemArtifactStore(...); }
 * }
 * }</pre>
 *
 * <p>One store instance serves the whole class (built lazily, closed after all tests); each test writes under its
 * own random key prefix, so tests never see each other's objects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ArtifactStoreContract {

    private ArtifactStore store;
    /** A prefix unique to the running test; every key a test writes starts with it. */
    protected String prefix;

    @TempDir
    protected Path tempDir;

    /** Makes the store under test. Called once per test class. */
    protected abstract ArtifactStore createStore();

    /**
     * Size of the "large" object: big enough that the store uses its multipart / chunked path. Stores with a
     * configurable part size should configure a small one (S3's minimum is 5 MiB) and keep this at 2-3 parts.
     */
    protected long largeObjectSize() {
        return 13L * 1024 * 1024 + 17;
    }

    /** Secret strings used to configure the store; none may appear in {@link ArtifactStore#describe()}. */
    protected Collection<String> secrets() {
        return List.of();
    }

    /** The store under test. */
    protected final ArtifactStore store() {
        if (store == null) {
            store = createStore();
        }
        return store;
    }

    @BeforeEach
    void newPrefix() {
        prefix = "contract-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @AfterAll
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** A key under this test's prefix. */
    protected ArtifactKey key(String relative) {
        return ArtifactKey.of(prefix + relative);
    }

    @Test
    void fileRoundTripsByteForByte() throws IOException {
        byte[] data = randomBytes(100_000, 1);
        Path source = Files.write(tempDir.resolve("source.bin"), data);
        store().put(key("file.bin"), source);

        assertThat(read(key("file.bin"))).isEqualTo(data);
        Path target = tempDir.resolve("out/target.bin");
        store().get(key("file.bin"), target);
        assertThat(Files.readAllBytes(target)).isEqualTo(data);
    }

    @Test
    void streamWithKnownLengthRoundTrips() {
        byte[] data = "hello, weft".getBytes(StandardCharsets.UTF_8);
        store().put(key("hello.txt"), new ByteArrayInputStream(data), data.length);
        assertThat(read(key("hello.txt"))).isEqualTo(data);
    }

    @Test
    void emptyObjectsRoundTripFromStreamAndFile() throws IOException {
        store().put(key("empty-stream"), new ByteArrayInputStream(new byte[0]), 0);
        store().put(key("empty-unknown"), new ByteArrayInputStream(new byte[0]), -1);
        store().put(key("empty-file"), Files.createFile(tempDir.resolve("empty")));

        for (String name : List.of("empty-stream", "empty-unknown", "empty-file")) {
            assertThat(read(key(name))).as(name).isEmpty();
            assertThat(store().stat(key(name))).as(name).get().extracting(ArtifactInfo::size).isEqualTo(0L);
        }
    }

    @Test
    void largeObjectOfUnknownLengthRoundTrips() throws IOException {
        long size = largeObjectSize();
        String expected = sha256(new GeneratedStream(size, 7));
        store().put(key("large-unknown.bin"), new GeneratedStream(size, 7), -1);

        assertThat(store().stat(key("large-unknown.bin"))).get().extracting(ArtifactInfo::size).isEqualTo(size);
        try (InputStream in = store().open(key("large-unknown.bin"))) {
            assertThat(sha256(in)).isEqualTo(expected);
        }
    }

    @Test
    void largeObjectOfKnownLengthRoundTrips() throws IOException {
        long size = largeObjectSize();
        String expected = sha256(new GeneratedStream(size, 8));
        store().put(key("large-known.bin"), new GeneratedStream(size, 8), size);
        try (InputStream in = store().open(key("large-known.bin"))) {
            assertThat(sha256(in)).isEqualTo(expected);
        }
    }

    @Test
    void putReplacesAnExistingObject() {
        store().put(key("k"), stream("first version, longer"), -1);
        store().put(key("k"), stream("second"), -1);
        assertThat(new String(read(key("k")), StandardCharsets.UTF_8)).isEqualTo("second");
    }

    @Test
    void statReportsSizeAndMissingKeysAreEmpty() {
        store().put(key("sized"), stream("12345"), 5);
        assertThat(store().stat(key("sized"))).get().satisfies(info -> {
            assertThat(info.key()).isEqualTo(key("sized"));
            assertThat(info.size()).isEqualTo(5);
        });
        assertThat(store().stat(key("missing"))).isEmpty();
    }

    @Test
    void listReturnsExactlyTheKeysWithThePrefixInOrder() {
        for (String name : List.of("a/b/2", "a/b/1", "a/c/3", "ab/4", "b/5")) {
            store().put(key(name), stream(name), -1);
        }
        assertThat(listKeys(prefix + "a/")).containsExactly(prefix + "a/b/1", prefix + "a/b/2", prefix + "a/c/3");
        assertThat(listKeys(prefix + "a/b/")).containsExactly(prefix + "a/b/1", prefix + "a/b/2");
        assertThat(listKeys(prefix + "a")).containsExactly(
                prefix + "a/b/1", prefix + "a/b/2", prefix + "a/c/3", prefix + "ab/4");
        assertThat(listKeys(prefix + "zzz")).isEmpty();
        try (Stream<ArtifactInfo> all = store().list(prefix)) {
            assertThat(all.filter(i -> i.key().value().equals(prefix + "b/5")).findFirst())
                    .get().extracting(ArtifactInfo::size).isEqualTo(3L);
        }
    }

    @Test
    void deleteRemovesTheObjectAndDeletingAMissingKeyIsFine() {
        store().put(key("doomed"), stream("x"), 1);
        store().delete(key("doomed"));
        assertThat(store().stat(key("doomed"))).isEmpty();
        store().delete(key("never-existed"));
        assertThat(listKeys(prefix)).isEmpty();
    }

    @Test
    void missingKeysFailWithNotFoundNamingTheKey() {
        assertThatThrownBy(() -> store().open(key("nope")).close())
                .isInstanceOfSatisfying(ArtifactStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(ArtifactStoreException.Kind.NOT_FOUND))
                .hasMessageContaining(prefix + "nope");
        Path target = tempDir.resolve("never");
        assertThatThrownBy(() -> store().get(key("nope"), target))
                .isInstanceOfSatisfying(ArtifactStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(ArtifactStoreException.Kind.NOT_FOUND));
        assertThat(target).doesNotExist();
    }

    @Test
    void keysWithSpacesAndUnicodeRoundTripAndList() {
        String name = "dir with space/ünïcødé 文件 ✓.txt";
        store().put(key(name), stream("unicode"), -1);
        assertThat(new String(read(key(name)), StandardCharsets.UTF_8)).isEqualTo("unicode");
        assertThat(listKeys(prefix + "dir with space/")).containsExactly(prefix + name);
    }

    @Test
    void concurrentPutsOfDifferentKeysAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> puts = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int n = i;
                puts.add(() -> {
                    byte[] data = randomBytes(10_000 + n, n);
                    store().put(key("concurrent/" + n), new ByteArrayInputStream(data), data.length);
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(puts)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(listKeys(prefix + "concurrent/")).hasSize(32);
        for (int n = 0; n < 32; n++) {
            assertThat(read(key("concurrent/" + n))).isEqualTo(randomBytes(10_000 + n, n));
        }
    }

    @Test
    void aStreamThatFailsHalfwayLeavesNoObject() {
        InputStream failing = new FailingStream(new GeneratedStream(largeObjectSize(), 3), 6L * 1024 * 1024);
        assertThatThrownBy(() -> store().put(key("broken"), failing, -1))
                .isInstanceOf(ArtifactStoreException.class);
        assertThat(store().stat(key("broken"))).isEmpty();
        assertThat(listKeys(prefix)).isEmpty();
    }

    @Test
    void aFailedPutKeepsThePreviousObject() {
        store().put(key("kept"), stream("previous"), -1);
        InputStream failing = new FailingStream(new GeneratedStream(1000, 4), 100);
        assertThatThrownBy(() -> store().put(key("kept"), failing, 1000))
                .isInstanceOf(ArtifactStoreException.class);
        assertThat(new String(read(key("kept")), StandardCharsets.UTF_8)).isEqualTo("previous");
    }

    @Test
    void aStreamShorterThanItsDeclaredLengthIsRejected() {
        assertThatThrownBy(() -> store().put(key("short"), stream("only a few bytes"), 1000))
                .isInstanceOf(ArtifactStoreException.class);
        assertThat(store().stat(key("short"))).isEmpty();
    }

    @Test
    void getReplacesAnExistingTargetFile() throws IOException {
        store().put(key("fresh"), stream("fresh"), -1);
        Path target = Files.writeString(tempDir.resolve("existing.txt"), "stale content that is longer");
        store().get(key("fresh"), target);
        assertThat(target).hasContent("fresh");
    }

    @Test
    void rangedReadsReturnTheRequestedBytes() throws IOException {
        if (!(store() instanceof RangedReads ranged)) {
            return; // an optional ability; stores without it have nothing to prove here
        }
        byte[] data = randomBytes(4096, 9);
        store().put(key("ranged"), new ByteArrayInputStream(data), data.length);
        try (InputStream in = ranged.open(key("ranged"), 100, 50)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 150));
        }
        try (InputStream in = ranged.open(key("ranged"), 4000, 500)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 4000, 4096));
        }
    }

    @Test
    void describeNamesTheTypeAndHoldsNoSecret() {
        String description = store().describe().toString();
        assertThat(store().describe().type()).isNotBlank();
        for (String secret : secrets()) {
            assertThat(description).doesNotContain(secret);
        }
    }

    // ---- helpers for subclasses and the tests above ----

    /** Reads a whole (small) object. */
    protected byte[] read(ArtifactKey key) {
        try (InputStream in = store().open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError("reading " + key, e);
        }
    }

    /** The keys listed under a prefix, as strings, in the order the store gives them. */
    protected List<String> listKeys(String listPrefix) {
        try (Stream<ArtifactInfo> infos = store().list(listPrefix)) {
            return infos.map(i -> i.key().value()).toList();
        }
    }

    /** A UTF-8 stream of the text. */
    protected static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Deterministic pseudo-random bytes. */
    protected static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Hex SHA-256 of everything the stream gives. */
    protected static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stream that throws an IOException after {@code failAfter} bytes, like a dying producer. */
    protected static final class FailingStream extends FilterInputStream {
        private final long failAfter;
        private long read;

        public FailingStream(InputStream in, long failAfter) {
            super(in);
            this.failAfter = failAfter;
        }

        @Override
        public int read() throws IOException {
            check(1);
            int b = super.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check(len);
            int allowed = (int) Math.min(len, Math.max(1, failAfter - read));
            int n = super.read(b, off, allowed);
            read += Math.max(n, 0);
            return n;
        }

        private void check(int wanted) throws IOException {
            if (read >= failAfter) {
                throw new IOException("simulated producer failure after " + read + " bytes");
            }
        }
    }
}
