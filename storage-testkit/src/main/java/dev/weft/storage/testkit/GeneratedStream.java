package dev.weft.storage.testkit;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * A stream of {@code size} deterministic pseudo-random bytes generated on the fly, so tests and benchmarks can move
 * gigabytes without holding them. The same size and seed always give the same bytes.
 */
public final class GeneratedStream extends InputStream {

    private final long size;
    private final SplittableRandom random;
    private long position;
    private long word;
    private int wordBytesLeft;

    /** A stream of {@code size} bytes from {@code seed}. */
    public GeneratedStream(long size, long seed) {
        this.size = size;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int read() {
        if (position >= size) {
            return -1;
        }
        return nextByte() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
            b[off + i] = nextByte();
        }
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, size - position);
    }

    private byte nextByte() {
        if (wordBytesLeft == 0) {
            word = random.nextLong();
            wordBytesLeft = 8;
        }
        byte b = (byte) word;
        word >>>= 8;
        wordBytesLeft--;
        position++;
        return b;
    }
}
