package dev.weft.engine.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds hostile archives byte by byte with Commons Compress, exactly as an attacker could. */
final class Crafted {

    /** Entry kinds an archive can claim. */
    enum Kind { FILE, DIR, SYMLINK, HARDLINK, CHAR_DEVICE, FIFO }

    /** One entry: for links, {@code data} is the link target. */
    record Entry(String name, Kind kind, byte[] data) {
        static Entry file(String name, String content) {
            return new Entry(name, Kind.FILE, content.getBytes(StandardCharsets.UTF_8));
        }

        static Entry file(String name, byte[] content) {
            return new Entry(name, Kind.FILE, content);
        }

        static Entry dir(String name) {
            return new Entry(name, Kind.DIR, new byte[0]);
        }

        static Entry symlink(String name, String target) {
            return new Entry(name, Kind.SYMLINK, target.getBytes(StandardCharsets.UTF_8));
        }

        static Entry hardlink(String name, String target) {
            return new Entry(name, Kind.HARDLINK, target.getBytes(StandardCharsets.UTF_8));
        }

        static Entry special(String name, Kind kind) {
            return new Entry(name, kind, new byte[0]);
        }

        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private Crafted() {
    }

    static byte[] tarGz(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                byte flag = switch (e.kind()) {
                    case FILE -> TarConstants.LF_NORMAL;
                    case DIR -> TarConstants.LF_DIR;
                    case SYMLINK -> TarConstants.LF_SYMLINK;
                    case HARDLINK -> TarConstants.LF_LINK;
                    case CHAR_DEVICE -> TarConstants.LF_CHR;
                    case FIFO -> TarConstants.LF_FIFO;
                };
                // preserveAbsolutePath=true: Commons Compress would otherwise strip a leading '/' for us.
                TarArchiveEntry entry = new TarArchiveEntry(e.name(), flag, true);
                if (e.kind() == Kind.SYMLINK || e.kind() == Kind.HARDLINK) {
                    entry.setLinkName(e.text());
                }
                if (e.kind() == Kind.FILE) {
                    entry.setSize(e.data().length);
                    entry.setMode(0100644);
                }
                tar.putArchiveEntry(entry);
                if (e.kind() == Kind.FILE) {
                    tar.write(e.data());
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    static byte[] zip(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Entry e : entries) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
                int mode = switch (e.kind()) {
                    case FILE -> 0100644;
                    case DIR -> 0040755;
                    case SYMLINK -> 0120777;
                    case CHAR_DEVICE -> 0020644;
                    case FIFO -> 0010644;
                    case HARDLINK -> throw new IllegalArgumentException("zip has no hard links");
                };
                entry.setUnixMode(mode);
                zip.putArchiveEntry(entry);
                zip.write(e.data());
                zip.closeArchiveEntry();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }
}
