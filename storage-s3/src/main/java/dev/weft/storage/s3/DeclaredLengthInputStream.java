package dev.weft.storage.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Holds a caller's stream to the length it declared: ending early or giving more is an {@link IOException}, so a put
 * never stores a truncated object under a length the caller promised. A negative length means unknown (no check).
 * Does not close the underlying stream: the caller owns it.
 */
final class DeclaredLengthInputStream extends FilterInputStream {

    private final long declared;
    private long count;

    DeclaredLengthInputStream(InputStream in, long declared) {
        super(in);
        this.declared = declared;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (declared >= 0 && count == declared) {
            if (in.read() != -1) {
                throw new IOException("the stream gave more than its declared length of " + declared + " bytes");
            }
            return -1;
        }
        int wanted = declared >= 0 ? (int) Math.min(len, declared - count) : len;
        int n = in.read(b, off, wanted);
        if (n < 0) {
            if (declared >= 0 && count < declared) {
                throw new IOException("the stream ended after " + count + " of its declared " + declared + " bytes");
            }
            return -1;
        }
        count += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the caller closes its own stream
    }
}
