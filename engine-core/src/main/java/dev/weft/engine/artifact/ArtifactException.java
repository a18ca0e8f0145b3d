package dev.weft.engine.artifact;

import dev.weft.storage.spi.ArtifactKey;
import java.util.Objects;
import java.util.Optional;

/**
 * An artifact could not be packed, unpacked or placed. The message names the artifact, its key when known, and the
 * offending archive entry when there is one. Store failures stay {@link dev.weft.storage.spi.ArtifactStoreException}.
 */
public class ArtifactException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers and tests to act on without parsing messages. */
    public enum Reason {
        /** An entry name is absolute or has a {@code ..} segment. */
        ENTRY_ESCAPES,
        /** A symbolic link points outside the artifact (absolute, or resolving above its root). */
        SYMLINK_ESCAPES,
        /** A hard link names a target outside the artifact or one that is not a file extracted before it. */
        HARDLINK_ESCAPES,
        /** A device file, FIFO, socket or unknown entry type. */
        SPECIAL_FILE,
        /** More uncompressed bytes than {@link UnpackLimits#maxTotalBytes()}. */
        TOO_LARGE,
        /** A compression ratio above {@link UnpackLimits#maxRatio()}. */
        RATIO_EXCEEDED,
        /** More entries than {@link UnpackLimits#maxEntries()}. */
        TOO_MANY_ENTRIES,
        /** The requested {@code subPath} is not in the artifact, or the artifact is not an archive. */
        SUBPATH_NOT_FOUND,
        /** The output path does not exist. */
        SOURCE_NOT_FOUND,
        /** A directory with {@code archive: none}. */
        DIRECTORY_NOT_ARCHIVED,
        /** Two entries clash, or the target exists and cannot be replaced. */
        CONFLICT,
        /** The stored bytes do not have the expected sha256. */
        DIGEST_MISMATCH,
        /** The archive is malformed or an I/O operation failed. */
        IO
    }

    private final Reason reason;
    private final String artifact;
    private final transient ArtifactKey key;
    private final String entry;

    /**
     * An exception whose message is built from the parts.
     *
     * @param artifact the artifact name
     * @param key      the artifact's key, or {@code null} when not known yet
     * @param entry    the archive entry or relative path at fault, or {@code null}
     * @param detail   what is wrong
     */
    public ArtifactException(Reason reason, String artifact, ArtifactKey key, String entry, String detail,
                             Throwable cause) {
        super(message(artifact, key, entry, detail), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.artifact = artifact;
        this.key = key;
        this.entry = entry;
    }

    /** Same without a cause. */
    public ArtifactException(Reason reason, String artifact, ArtifactKey key, String entry, String detail) {
        this(reason, artifact, key, entry, detail, null);
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }

    /** The artifact's name. */
    public String artifact() {
        return artifact;
    }

    /** The artifact's key, when known. */
    public Optional<ArtifactKey> key() {
        return Optional.ofNullable(key);
    }

    /** The archive entry (or path relative to the artifact) at fault, when there is one. */
    public Optional<String> entry() {
        return Optional.ofNullable(entry);
    }

    private static String message(String artifact, ArtifactKey key, String entry, String detail) {
        StringBuilder out = new StringBuilder("artifact '").append(artifact).append('\'');
        if (key != null) {
            out.append(" (key '").append(key).append("')");
        }
        if (entry != null) {
            out.append(", entry '").append(printable(entry)).append('\'');
        }
        return out.append(": ").append(detail).toString();
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(300).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
