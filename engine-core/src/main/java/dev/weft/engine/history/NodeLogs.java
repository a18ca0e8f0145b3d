package dev.weft.engine.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Node logs on disk: one file per node attempt at {@code <workRoot>/runs/<run>/logs/<nodeId>/<attempt>.log}, every
 * line tagged with its stream ({@code o } stdout, {@code e } stderr, {@code h } handler, {@code ! } Weft). Each
 * line is written through at once, so the file can be read while the node runs. A file stops growing at the size
 * cap: the first line that would pass it is replaced by a marker line saying so, and closing the writer records
 * how much was dropped. Truncation is therefore always visible in the file itself.
 */
public final class NodeLogs {

    /** The default cap per node attempt: 10 MiB. */
    public static final long DEFAULT_CAP_BYTES = 10L * 1024 * 1024;

    /** How the marker line of a log cut short by its cap begins. */
    static final String TRUNCATED = "truncated:";

    private final Path workRoot;
    private final long capBytes;

    /** Logs under this work root, each node attempt capped at {@code capBytes}. */
    public NodeLogs(Path workRoot, long capBytes) {
        if (capBytes < 1) {
            throw new IllegalArgumentException("node log cap must be positive, was " + capBytes);
        }
        this.workRoot = workRoot;
        this.capBytes = capBytes;
    }

    /** The file of one node attempt. */
    public Path file(String runName, String nodeId, int attempt) {
        return workRoot.resolve("runs").resolve(segment("run name", runName)).resolve("logs")
                .resolve(segment("node id", nodeId)).resolve(attempt + ".log");
    }

    /** The run's log directory (delete it with the run). */
    public Path runDirectory(String runName) {
        return workRoot.resolve("runs").resolve(segment("run name", runName)).resolve("logs");
    }

    private static String segment(String what, String value) {
        if (value.isEmpty() || value.equals(".") || value.equals("..") || value.contains("/")
                || value.contains("\\") || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " '" + value + "' cannot name a log directory");
        }
        return value;
    }

    /** Starts (or appends to) a node attempt's log. */
    public Writer open(String runName, String nodeId, int attempt) {
        Path file = file(runName, nodeId, attempt);
        try {
            Files.createDirectories(file.getParent());
            long size = Files.exists(file) ? Files.size(file) : 0;
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return new Writer(file, out, size, capBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open node log " + file, e);
        }
    }

    /** Adds a line of Weft's own to a node attempt's log (e.g. that the node runs again), creating it if need be. */
    public void mark(String runName, String nodeId, int attempt, String text) {
        try (Writer w = open(runName, nodeId, attempt)) {
            w.line(LogStream.WEFT, text);
        }
    }

    /** Reads a node attempt's log as it is now (it may still be written). */
    public NodeLog read(String runName, String nodeId, int attempt) {
        try (Stream<LogLine> lines = lines(runName, nodeId, attempt)) {
            List<LogLine> all = lines.toList();
            return new NodeLog(all, all.stream().anyMatch(l -> l.stream() == LogStream.WEFT
                    && l.text().startsWith(TRUNCATED)));
        }
    }

    /** The log's complete lines as a lazy stream (close it). Empty if nothing was written yet. */
    public Stream<LogLine> lines(String runName, String nodeId, int attempt) {
        Path file = file(runName, nodeId, attempt);
        try {
            return Files.lines(file, StandardCharsets.UTF_8).map(NodeLogs::parse);
        } catch (NoSuchFileException e) {
            return Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read node log " + file, e);
        }
    }

    /** Follows a node attempt's log: each {@link Tail#poll()} returns the complete lines written since the last. */
    public Tail tail(String runName, String nodeId, int attempt) {
        return new Tail(file(runName, nodeId, attempt));
    }

    private static LogLine parse(String raw) {
        if (raw.length() < 2 || raw.charAt(1) != ' ') {
            return new LogLine(LogStream.WEFT, "unreadable log line: " + raw);
        }
        return new LogLine(LogStream.ofTag(raw.charAt(0)), raw.substring(2));
    }

    /** Writes one node attempt's log. Thread-safe: stdout and stderr pumps may share it. */
    public static final class Writer implements AutoCloseable {

        private final Path file;
        private final OutputStream out;
        private final long cap;
        private long written;
        private boolean truncated;
        private long droppedLines;
        private long droppedBytes;

        private Writer(Path file, OutputStream out, long alreadyWritten, long cap) {
            this.file = file;
            this.out = out;
            this.written = alreadyWritten;
            this.cap = cap;
        }

        /** Appends a line (line breaks inside it start new lines of the same stream). */
        public synchronized void line(LogStream stream, String text) {
            for (String part : text.split("\r\n|\r|\n", -1)) {
                byte[] bytes = (stream.tag() + " " + part + "\n").getBytes(StandardCharsets.UTF_8);
                if (truncated || written + bytes.length > cap) {
                    if (!truncated) {
                        truncated = true;
                        write("! " + TRUNCATED + " this log reached its cap of " + cap + " bytes; later lines dropped\n");
                    }
                    droppedLines++;
                    droppedBytes += bytes.length;
                } else {
                    write(bytes);
                    written += bytes.length;
                }
            }
        }

        /** Whether the cap cut this log short. */
        public synchronized boolean truncated() {
            return truncated;
        }

        private void write(String marker) {
            write(marker.getBytes(StandardCharsets.UTF_8));
        }

        private void write(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write node log " + file, e);
            }
        }

        /** Records what the cap dropped, then closes the file. */
        @Override
        public synchronized void close() {
            try {
                if (truncated) {
                    write("! dropped " + droppedLines + " lines (" + droppedBytes + " bytes) over the cap\n");
                }
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close node log " + file, e);
            }
        }
    }

    /** Reads a log as it grows; one reader, not thread-safe. */
    public static final class Tail {

        private final Path file;
        private long offset;
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        private Tail(Path file) {
            this.file = file;
        }

        /** The complete lines written since the last poll (a line still being written waits for the next). */
        public List<LogLine> poll() {
            List<LogLine> lines = new ArrayList<>();
            if (!Files.exists(file)) {
                return lines;
            }
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(offset);
                byte[] buf = in.readAllBytes();
                offset += buf.length;
                for (byte b : buf) {
                    if (b == '\n') {
                        lines.add(parse(partial.toString(StandardCharsets.UTF_8)));
                        partial.reset();
                    } else {
                        partial.write(b);
                    }
                }
                return lines;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read node log " + file, e);
            }
        }
    }
}
