package dev.weft.engine.artifact;

/** What a stored artifact's bytes turned out to be when it was fetched. */
public enum ArchiveFormat {
    /** A gzip-compressed tar, unpacked. */
    TAR_GZ,
    /** A zip, unpacked. */
    ZIP,
    /** Anything else, placed as one file byte for byte. */
    RAW
}
