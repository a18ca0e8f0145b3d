package dev.weft.storage.testkit;

import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * A representative store workload run many times through a {@link FaultInjectingProxy}: put a small object from a
 * stream, put a multipart-sized file, get it back to a file, read the small one, list, delete. Each run uses its own
 * key prefix and its own seed. A failed run is cleaned up the way an engine would clean up (deleting only what it
 * put successfully), through a fault-free store, so whatever remains in the bucket afterwards was left by failed
 * operations.
 */
public final class FaultWorkload {

    /** The outcome of a series of runs. */
    public record Outcome(int runs, int succeeded, List<String> failures) {
        /** Success rate in percent. */
        public double percent() {
            return runs == 0 ? 0 : 100.0 * succeeded / runs;
        }
    }

    private final FaultInjectingProxy proxy;
    private final Function<URI, ArtifactStore> stores;
    private final ArtifactStore clean;
    private final Path largeFile;
    private final long largeSize;
    private final Path scratch;

    /**
     * @param proxy     the fault proxy in front of the server
     * @param stores    makes a store for an endpoint (the proxy's, for the runs)
     * @param clean     a store that reaches the server directly, for cleanup
     * @param scratch   a folder for the large file and downloads
     * @param largeSize the size of the multipart-sized object
     */
    public FaultWorkload(FaultInjectingProxy proxy, Function<URI, ArtifactStore> stores, ArtifactStore clean,
                         Path scratch, long largeSize) {
        this.proxy = proxy;
        this.stores = stores;
        this.clean = clean;
        this.scratch = scratch;
        this.largeSize = largeSize;
        this.largeFile = scratch.resolve("large.bin");
        try {
            byte[] data = new byte[(int) largeSize];
            new Random(42).nextBytes(data);
            Files.write(largeFile, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code runs} seeded runs at {@code rate}, seeds {@code baseSeed + i}. */
    public Outcome run(String label, double rate, long baseSeed, int runs) {
        int succeeded = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String prefix = label + "-" + i + "/";
            proxy.reseed(baseSeed + i, rate);
            Set<ArtifactKey> stored = new LinkedHashSet<>();
            try (ArtifactStore store = stores.apply(proxy.endpoint())) {
                once(store, prefix, stored);
                succeeded++;
            } catch (RuntimeException | Error e) {
                failures.add(prefix + ": " + e.getClass().getName() + ": " + e.getMessage() + causes(e));
                if (!(e instanceof ArtifactStoreException)) {
                    failures.add(prefix + ": NOT an ArtifactStoreException: " + e);
                }
            } finally {
                proxy.rate(0);
                stored.forEach(clean::delete);
            }
        }
        return new Outcome(runs, succeeded, failures);
    }

    /** The cause chain's classes and first frames, so that a figure in a note can say what failed where. */
    private static String causes(Throwable e) {
        StringBuilder s = new StringBuilder(" [causes:");
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            s.append(' ').append(t.getClass().getSimpleName());
            StackTraceElement[] frames = t.getStackTrace();
            if (t.getCause() == null && frames.length > 0) {
                for (int i = 0; i < Math.min(6, frames.length); i++) {
                    s.append(" at ").append(frames[i]);
                }
            }
        }
        return s.append(']').toString();
    }

    private void once(ArtifactStore store, String prefix, Set<ArtifactKey> stored) {
        byte[] small = (prefix + " small artifact").repeat(40).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ArtifactKey smallKey = ArtifactKey.of(prefix + "small.txt");
        ArtifactKey largeKey = ArtifactKey.of(prefix + "large.bin");
        store.put(smallKey, new ByteArrayInputStream(small), small.length);
        stored.add(smallKey);
        store.put(largeKey, largeFile);
        stored.add(largeKey);
        Path copy = scratch.resolve(prefix.replace('/', '_') + "copy.bin");
        store.get(largeKey, copy);
        try {
            if (Files.size(copy) != largeSize || Files.mismatch(copy, largeFile) != -1) {
                throw new AssertionError(prefix + ": the downloaded large object differs from what was put");
            }
            Files.delete(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream in = store.open(smallKey)) {
            if (!Arrays.equals(in.readAllBytes(), small)) {
                throw new AssertionError(prefix + ": the small object read back differs");
            }
        } catch (IOException e) {
            throw new ArtifactStoreException(ArtifactStoreException.Kind.TRANSIENT, "reading '" + smallKey
                    + "' failed: " + e.getMessage(), e);
        }
        List<String> listed = store.list(prefix).map(ArtifactInfo::key).map(ArtifactKey::value).sorted().toList();
        if (!listed.equals(List.of(largeKey.value(), smallKey.value()))) {
            throw new AssertionError(prefix + ": list gave " + listed);
        }
        store.delete(smallKey);
        stored.remove(smallKey);
        store.delete(largeKey);
        stored.remove(largeKey);
    }
}
