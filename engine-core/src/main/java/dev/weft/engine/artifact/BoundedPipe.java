package dev.weft.engine.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A byte pipe between one writer thread and one reader thread holding at most {@code maxChunks} chunks of
 * {@code chunkSize} bytes: the archiver writes, the store reads, memory stays bounded whatever the artifact's size.
 *
 * <p>Unlike {@link java.io.PipedInputStream} it carries the writer's failure to the reader ({@link #fail}: the
 * reader's next read throws, so the store aborts its put) and the reader's abandonment to the writer (closing the
 * reader makes the writer's next write throw, so the archiver stops). End of data is explicit ({@link #finish}), so
 * the archiver's own {@code close()} can never make a truncated archive look complete.
 */
final class BoundedPipe {

    private static final byte[] END = new byte[0];

    private final int chunkSize;
    private final int maxChunks;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private Throwable writerFailure;
    private boolean readerClosed;
    private boolean ended;

    private final Sink sink;
    private final Source source;

    BoundedPipe(int chunkSize, int maxChunks) {
        if (chunkSize <= 0 || maxChunks <= 0) {
            throw new IllegalArgumentException("chunkSize and maxChunks must be positive");
        }
        this.chunkSize = chunkSize;
        this.maxChunks = maxChunks;
        // Built after the sizes are set: the sink's buffer is sized from chunkSize.
        this.sink = new Sink();
        this.source = new Source();
    }

    /** The writer's end. Its {@code close()} only flushes; call {@link #finish()} or {@link #fail} to end. */
    OutputStream sink() {
        return sink;
    }

    /** The reader's end. Closing it tells the writer to stop. */
    InputStream source() {
        return source;
    }

    /** Same as closing {@link #source()}: the writer's next write throws. */
    void closeReader() {
        source.close();
    }

    /** Marks a clean end of data after flushing what the sink holds. */
    void finish() throws IOException {
        sink.flush();
        enqueue(END);
    }

    /** Marks the data as failed: the reader's next read throws an {@link IOException} with this cause. */
    void fail(Throwable failure) {
        lock.lock();
        try {
            writerFailure = failure;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(byte[] chunk) throws IOException {
        lock.lock();
        try {
            while (chunks.size() >= maxChunks && !readerClosed) {
                notFull.await();
            }
            if (readerClosed) {
                throw new ReaderClosedException();
            }
            chunks.addLast(chunk);
            notEmpty.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the artifact stream");
        } finally {
            lock.unlock();
        }
    }

    /** Next chunk, or {@code END}. */
    private byte[] dequeue() throws IOException {
        lock.lock();
        try {
            while (chunks.isEmpty() && writerFailure == null) {
                notEmpty.await();
            }
            if (writerFailure != null) {
                throw new IOException("producing the artifact stream failed: " + writerFailure.getMessage(),
                        writerFailure);
            }
            byte[] chunk = chunks.removeFirst();
            notFull.signalAll();
            return chunk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the artifact stream");
        } finally {
            lock.unlock();
        }
    }

    /** The reader closed its end before the end of data: the writer should just stop. */
    static final class ReaderClosedException extends IOException {
        private static final long serialVersionUID = 1L;

        ReaderClosedException() {
            super("the store stopped reading the artifact stream");
        }
    }

    private final class Sink extends OutputStream {
        private byte[] buffer = new byte[chunkSize];
        private int filled;

        @Override
        public void write(int b) throws IOException {
            buffer[filled++] = (byte) b;
            if (filled == buffer.length) {
                flush();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == buffer.length) {
                    flush();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            if (filled > 0) {
                byte[] full = filled == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, filled);
                enqueue(full);
                // The queued array now belongs to the reader.
                buffer = new byte[chunkSize];
                filled = 0;
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private final class Source extends InputStream {
        private byte[] current = new byte[0];
        private int position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == current.length) {
                if (ended) {
                    return -1;
                }
                byte[] next = dequeue();
                if (next == END) {
                    ended = true;
                    return -1;
                }
                current = next;
                position = 0;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                readerClosed = true;
                chunks.clear();
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
