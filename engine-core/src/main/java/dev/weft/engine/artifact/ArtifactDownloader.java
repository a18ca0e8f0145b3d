package dev.weft.engine.artifact;

import dev.weft.engine.artifact.ArtifactException.Reason;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Fetches a stored artifact and places it at a path, unpacking archives safely.
 *
 * <p>The format comes from the content, as in Argo: gzip magic holding a tar means tar+gzip, zip magic means zip,
 * anything else is a raw file (a gzip that does not hold a tar too). A caller that knows the producer's strategy can
 * say so ({@link DownloadRequest#knownArchive()}) and skip the guess.
 *
 * <p>Nothing is buffered whole in memory: a tar+gzip is unpacked as it streams from the store; a zip is first copied
 * to a temporary file, because its index (and the Unix modes in it) sits at the end of the file and only random
 * access reads it reliably. Everything happens in a hidden staging directory beside the target, on the same file
 * system, and the result is renamed onto the target at the end, so the target never holds a partial artifact; the
 * staging directory is removed whatever happens. Unpacking rules are {@link ArchiveExtractor}'s.
 *
 * <p>A missing key surfaces as the store's {@link dev.weft.storage.spi.ArtifactStoreException} of kind NOT_FOUND
 * (the caller decides whether the input was optional); problems with the content are {@link ArtifactException}s.
 * Thread-safe: one downloader serves concurrent downloads.
 */
public final class ArtifactDownloader {

    private static final int BUFFER = 64 * 1024;
    /** How far the format sniffer may read ahead (a gzip header plus the first tar block). */
    private static final int SNIFF_LIMIT = 1 << 20;

    private final UnpackLimits limits;

    /** A downloader with {@link UnpackLimits#defaults()}. */
    public ArtifactDownloader() {
        this(UnpackLimits.defaults());
    }

    /** A downloader with the given limits. */
    public ArtifactDownloader(UnpackLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Fetches {@code request.key()} from {@code store} and places it at {@code request.target()}.
     *
     * @throws dev.weft.storage.spi.ArtifactStoreException when the store fails (NOT_FOUND for a missing key)
     * @throws ArtifactException                           when the content is unsafe, malformed, lacks the subPath,
     *                                                     has the wrong digest, or cannot be placed
     */
    public DownloadedArtifact download(ArtifactStore store, DownloadRequest request) {
        String name = request.artifactName();
        ArtifactKey key = request.key();
        String subPath = normalizeSubPath(name, key, request.subPath());
        Path target = request.target().toAbsolutePath().normalize();
        Path staging = null;
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".weft-");
            try (InputStream raw = store.open(key)) {
                HashingInputStream hashed = new HashingInputStream(raw);
                BufferedInputStream in = new BufferedInputStream(hashed, BUFFER);
                ArchiveFormat format = request.knownArchive() != null
                        ? formatOf(request.knownArchive()) : sniff(in);
                Path unpacked = staging.resolve("x");
                ArchiveExtractor extractor = new ArchiveExtractor(name, key, limits, unpacked, subPath);
                Path chosen;
                switch (format) {
                    case TAR_GZ -> {
                        Files.createDirectory(unpacked);
                        GzipCompressorInputStream gzip = new GzipCompressorInputStream(new NonClosing(in), true);
                        LimitedInputStream limited = new LimitedInputStream(gzip,
                                new LimitedInputStream.Budget(limits, hashed::count, name, key));
                        extractor.extractTar(limited);
                        // Read what follows the tar's end blocks, so the digest covers every stored byte.
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                        chosen = extractor.result();
                    }
                    case ZIP -> {
                        Files.createDirectory(unpacked);
                        Path zipFile = staging.resolve("archive.zip");
                        Files.copy(in, zipFile);
                        long size = hashed.count();
                        extractor.extractZip(zipFile, () -> size);
                        chosen = extractor.result();
                    }
                    default -> {
                        if (subPath != null) {
                            throw new ArtifactException(Reason.SUBPATH_NOT_FOUND, name, key, subPath,
                                    "subPath given but the artifact is a single raw file, not an archive");
                        }
                        chosen = staging.resolve("file");
                        Files.copy(in, chosen);
                    }
                }
                String sha256 = hashed.hex();
                if (request.expectedSha256() != null && !request.expectedSha256().equalsIgnoreCase(sha256)) {
                    throw new ArtifactException(Reason.DIGEST_MISMATCH, name, key, null,
                            "stored bytes have sha256 " + sha256 + ", expected " + request.expectedSha256());
                }
                extractor.applyDirectoryModes(chosen);
                boolean directory = Files.isDirectory(chosen, LinkOption.NOFOLLOW_LINKS);
                ArchiveExtractor.place(name, key, chosen, target);
                int rootMode = extractor.directoryMode(chosen);
                if (rootMode >= 0) {
                    PosixModes.apply(target, rootMode);
                }
                if (request.mode() != null) {
                    applyMode(target, request.mode(), request.recurseMode());
                }
                return new DownloadedArtifact(target, directory, format, hashed.count(), sha256);
            }
        } catch (IOException e) {
            throw new ArtifactException(Reason.IO, name, key, null,
                    "cannot fetch to " + target + ": " + e.getMessage(), e);
        } catch (ArtifactException | dev.weft.storage.spi.ArtifactStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            // Archive libraries signal some malformed input with unchecked exceptions; name the artifact anyway.
            throw new ArtifactException(Reason.IO, name, key, null,
                    "malformed archive, cannot fetch to " + target + ": " + e, e);
        } finally {
            deleteTree(staging);
        }
    }

    private static ArchiveFormat formatOf(ArchiveStrategy strategy) {
        if (strategy instanceof ArchiveStrategy.Tar) {
            return ArchiveFormat.TAR_GZ;
        }
        if (strategy instanceof ArchiveStrategy.Zip) {
            return ArchiveFormat.ZIP;
        }
        return ArchiveFormat.RAW;
    }

    /** Looks at the first bytes without consuming them. */
    static ArchiveFormat sniff(BufferedInputStream in) throws IOException {
        in.mark(SNIFF_LIMIT);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return holdsTar(in) ? ArchiveFormat.TAR_GZ : ArchiveFormat.RAW;
        }
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K'
                && ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6))) {
            return ArchiveFormat.ZIP;
        }
        return ArchiveFormat.RAW;
    }

    /** Whether the gzip stream at {@code in}'s position starts with a tar header (Argo's isTarball test). */
    private static boolean holdsTar(BufferedInputStream in) throws IOException {
        in.mark(SNIFF_LIMIT);
        byte[] block;
        try {
            GzipCompressorInputStream gzip = new GzipCompressorInputStream(new NonClosing(in), true);
            block = gzip.readNBytes(512);
        } catch (IOException e) {
            block = new byte[0];
        } finally {
            in.reset();
        }
        if (block.length < 512) {
            return false;
        }
        boolean allZero = true;
        for (byte b : block) {
            allZero &= b == 0;
        }
        return allZero || TarArchiveInputStream.matches(block, block.length);
    }

    private static String normalizeSubPath(String name, ArtifactKey key, String subPath) {
        if (subPath == null) {
            return null;
        }
        if (subPath.startsWith("/")) {
            throw new ArtifactException(Reason.ENTRY_ESCAPES, name, key, subPath, "subPath must be relative");
        }
        StringBuilder out = new StringBuilder();
        for (String part : subPath.split("/")) {
            if (part.equals("..")) {
                throw new ArtifactException(Reason.ENTRY_ESCAPES, name, key, subPath,
                        "subPath must not contain '..'");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                out.append(out.length() == 0 ? "" : "/").append(part);
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static void applyMode(Path target, int mode, boolean recurse) throws IOException {
        if (!recurse || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            PosixModes.apply(target, mode);
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(target)) {
            all = walk.filter(p -> !Files.isSymbolicLink(p)).toList();
        }
        // Deepest first, so a mode without owner write does not stop the walk.
        for (int i = all.size() - 1; i >= 0; i--) {
            PosixModes.apply(all.get(i), mode);
        }
    }

    /** Removes a staging tree, first making its directories writable (an archive may have made them read-only). */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> all = walk.toList();
            for (Path p : all) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Set<PosixFilePermission> perms = PosixModes.fromBits(PosixModes.read(p) | 0700);
                    Files.setPosixFilePermissions(p, perms);
                }
            }
            for (Path p : all.stream().sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // A leftover hidden staging directory is harmless; the download's own outcome is what matters.
        }
    }

    /**
     * Lets a decompressor be dropped without closing the store's stream under it, and hides mark support: the gzip
     * reader marks and resets its input itself, which would clobber the sniffer's mark.
     */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // The store's stream is closed by its owner.
        }
    }
}
