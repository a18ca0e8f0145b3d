package dev.weft.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One multipart upload: parts go up in parallel (at most {@code concurrency} in flight, so memory stays at about
 * {@code concurrency + 1} part buffers for streams and none for files), then the upload is completed. Any failure,
 * including the caller's stream throwing or ending early and interruption, aborts the upload so that no partial
 * object and no open upload remain.
 */
final class MultipartUpload {

    /** S3's limit on parts per upload. */
    static final int MAX_PARTS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(MultipartUpload.class);

    private final S3Client s3;
    private final S3StoreSettings settings;
    private final ExecutorService executor;
    private final String bucket;
    private final String objectKey;

    MultipartUpload(S3Client s3, S3StoreSettings settings, ExecutorService executor, String objectKey) {
        this.s3 = s3;
        this.settings = settings;
        this.executor = executor;
        this.bucket = settings.bucket();
        this.objectKey = objectKey;
    }

    /** Source of the next part's bytes; returns null when there are no more parts. */
    interface PartSource {
        Part next(int partNumber) throws IOException;
    }

    /** One part's body: provider re-opened on SDK retries. */
    record Part(ContentStreamProvider content, long length) {
    }

    /**
     * Uploads a stream whose first part has already been read into {@code first} ({@code firstLength} bytes).
     *
     * @param rest reads the remaining parts; {@code declaredLength} is checked by the caller's stream wrapper
     */
    void uploadStream(byte[] first, int firstLength, InputStream rest, long partSize) {
        upload(partNumber -> {
            if (partNumber == 1) {
                return bytes(first, firstLength);
            }
            byte[] buffer = new byte[(int) partSize];
            int n = rest.readNBytes(buffer, 0, buffer.length);
            if (n == 0) {
                return null;
            }
            if (partNumber > MAX_PARTS) {
                throw new IOException("the stream is longer than " + MAX_PARTS + " parts of " + partSize
                        + " bytes; raise multipart.partSize");
            }
            return bytes(buffer, n);
        });
    }

    /** Uploads {@code size} bytes of a file in parts of at least {@code partSize}, within S3's part limit. */
    void uploadFile(Path file, long size, long partSize) {
        long effective = Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
        upload(partNumber -> {
            long offset = (partNumber - 1) * effective;
            if (offset >= size) {
                return null;
            }
            long length = Math.min(effective, size - offset);
            return new Part(() -> slice(file, offset, length), length);
        });
    }

    private static Part bytes(byte[] buffer, int length) {
        return new Part(() -> new java.io.ByteArrayInputStream(buffer, 0, length), length);
    }

    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + " at offset " + offset, e);
        }
    }

    private void upload(PartSource source) {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket)
                .key(objectKey).checksumAlgorithm(ChecksumAlgorithm.CRC32);
        settings.encryption().apply(create);
        settings.storageClass().ifPresent(create::storageClass);
        String uploadId = s3.createMultipartUpload(create.build()).uploadId();
        Semaphore slots = new Semaphore(settings.concurrency());
        List<Future<CompletedPart>> parts = new ArrayList<>();
        boolean completed = false;
        try {
            for (int partNumber = 1; ; partNumber++) {
                slots.acquire();
                failFast(parts);
                Part part;
                try {
                    part = source.next(partNumber);
                } catch (IOException | RuntimeException e) {
                    slots.release();
                    throw new PartSourceException(e);
                }
                if (part == null) {
                    slots.release();
                    break;
                }
                int number = partNumber;
                parts.add(executor.submit(() -> {
                    try {
                        return uploadPart(uploadId, number, part);
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> part : parts) {
                done.add(part.get());
            }
            done.sort(Comparator.comparing(CompletedPart::partNumber));
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)));
            completed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PartSourceException(new java.io.InterruptedIOException("interrupted during multipart upload"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new RuntimeException(cause);
        } finally {
            if (!completed) {
                parts.forEach(p -> p.cancel(true));
                abort(uploadId);
            }
        }
    }

    private CompletedPart uploadPart(String uploadId, int number, Part part) {
        UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(bucket).key(objectKey)
                .uploadId(uploadId).partNumber(number).contentLength(part.length())
                .checksumAlgorithm(ChecksumAlgorithm.CRC32);
        settings.encryption().apply(request);
        UploadPartResponse response = s3.uploadPart(request.build(),
                RequestBody.fromContentProvider(part.content(), part.length(), "application/octet-stream"));
        return CompletedPart.builder().partNumber(number).eTag(response.eTag())
                .checksumCRC32(response.checksumCRC32()).build();
    }

    /** Stops reading the caller's stream as soon as one part has failed. */
    private static void failFast(List<Future<CompletedPart>> parts) throws ExecutionException, InterruptedException {
        for (Future<CompletedPart> part : parts) {
            if (part.isDone()) {
                part.get();
            }
        }
    }

    private void abort(String uploadId) {
        boolean interrupted = Thread.interrupted(); // abort must go out even when the put was interrupted
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId));
            LOG.debug("aborted multipart upload of s3://{}/{}", bucket, objectKey);
        } catch (RuntimeException e) {
            LOG.warn("could not abort multipart upload {} of s3://{}/{}: {} (a bucket lifecycle rule for incomplete "
                    + "uploads cleans these up)", uploadId, bucket, objectKey, e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The caller's data could not be read: a failure of the put, not of S3. */
    static final class PartSourceException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PartSourceException(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Reads at most {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
