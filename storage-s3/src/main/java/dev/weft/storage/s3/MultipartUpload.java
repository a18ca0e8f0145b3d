package dev.weft.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
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
    private final S3Retry retry;
    private final Set<MultipartUpload> inFlight;
    private volatile String uploadId;
    private long totalLength;

    /**
     * @param inFlight the store's open uploads: this one is in it from creation until completed or aborted, so that
     *                 closing the store aborts it
     */
    MultipartUpload(S3Client s3, S3StoreSettings settings, ExecutorService executor, String objectKey,
                    Set<MultipartUpload> inFlight) {
        this.s3 = s3;
        this.settings = settings;
        this.executor = executor;
        this.bucket = settings.bucket();
        this.objectKey = objectKey;
        this.retry = new S3Retry(settings);
        this.inFlight = inFlight;
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
        Instant started = Instant.now();
        String uploadId;
        try {
            // A response cut off mid-XML surfaces as an UncheckedIOException the SDK does not retry; strays of
            // lost attempts are swept below.
            uploadId = retry.call("create of multipart upload s3://" + bucket + "/" + objectKey,
                    () -> s3.createMultipartUpload(create.build()).uploadId());
        } catch (IOException e) {
            abortStrays(started, null);
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            abortStrays(started, null); // an attempt may have created an upload whose answer was lost
            throw e;
        }
        this.uploadId = uploadId;
        inFlight.add(this);
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
                totalLength += part.length();
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
            complete(uploadId, done);
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
            inFlight.remove(this);
            abortStrays(started, uploadId);
        }
    }

    /**
     * Completes the upload. A retried complete whose first attempt did complete on the server gets NoSuchUpload;
     * then the object is checked: it is ours when its ETag is a multipart ETag of as many parts and its size is the
     * sum of the parts.
     */
    private void complete(String uploadId, List<CompletedPart> done) {
        try {
            retry.call("complete of multipart upload s3://" + bucket + "/" + objectKey, () ->
                    s3.completeMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(done))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && e.awsErrorDetails() != null
                    && "NoSuchUpload".equals(e.awsErrorDetails().errorCode()) && completedByEarlierAttempt(done)) {
                LOG.debug("multipart upload of s3://{}/{} was completed by an attempt whose answer was lost",
                        bucket, objectKey);
                return;
            }
            throw e;
        }
    }

    private boolean completedByEarlierAttempt(List<CompletedPart> done) {
        try {
            HeadObjectRequest.Builder head = HeadObjectRequest.builder().bucket(bucket).key(objectKey);
            settings.encryption().apply(head);
            HeadObjectResponse object = s3.headObject(head.build());
            String etag = object.eTag() == null ? "" : object.eTag().replace("\"", "");
            return etag.endsWith("-" + done.size()) && object.contentLength() != null
                    && object.contentLength() == totalLength;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Aborts uploads of this key started since {@code started} other than {@code keep}: a create whose answer was
     * cut off leaves an upload only the server knows of. Best effort, and scoped to this key and this put's time.
     */
    private void abortStrays(Instant started, String keep) {
        Instant since = started.minus(STRAY_SLACK);
        try {
            for (MultipartUpload.Stray stray : strays(since)) {
                if (!stray.uploadId().equals(keep)) {
                    abort(stray.uploadId());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("could not look for stray multipart uploads of s3://{}/{}: {}", bucket, objectKey,
                    e.toString());
        }
    }

    /** Clock difference tolerated between this machine and the server when matching strays by start time. */
    private static final Duration STRAY_SLACK = Duration.ofSeconds(30);

    private record Stray(String uploadId) {
    }

    private List<Stray> strays(Instant since) {
        List<Stray> strays = new ArrayList<>();
        ListMultipartUploadsResponse page = s3.listMultipartUploads(r -> r.bucket(bucket).prefix(objectKey));
        for (MultipartUpload.Stray s : page.uploads().stream()
                .filter(u -> objectKey.equals(u.key()) && (u.initiated() == null || !u.initiated().isBefore(since)))
                .map(u -> new Stray(u.uploadId())).toList()) {
            strays.add(s);
        }
        return strays;
    }

    /** Called by the store's close(): aborts this upload if it is still open. */
    void abortIfOpen() {
        String id = uploadId;
        if (id != null && inFlight.remove(this)) {
            abort(id);
        }
    }

    private CompletedPart uploadPart(String uploadId, int number, Part part) {
        UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(bucket).key(objectKey)
                .uploadId(uploadId).partNumber(number).contentLength(part.length())
                .checksumAlgorithm(ChecksumAlgorithm.CRC32);
        settings.encryption().apply(request);
        UploadPartResponse response;
        try {
            // The SDK retries the request; this loop also covers failures it does not classify (a reset surfacing
            // as an UncheckedIOException from the body), re-reading the part from its replayable source.
            response = retry.call("part " + number + " of s3://" + bucket + "/" + objectKey, () -> s3.uploadPart(
                    request.build(), RequestBody.fromContentProvider(part.content(), part.length(),
                            "application/octet-stream")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
            retry.call("abort of multipart upload " + uploadId, () -> {
                try {
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId));
                } catch (AwsServiceException e) {
                    if (e.statusCode() != 404) {
                        throw e;
                    }
                    // NoSuchUpload: an earlier attempt (or close()) aborted it already
                }
                return null;
            });
            LOG.debug("aborted multipart upload of s3://{}/{}", bucket, objectKey);
        } catch (IOException e) {
            LOG.warn("could not abort multipart upload {} of s3://{}/{}: {} (a bucket lifecycle rule for incomplete "
                    + "uploads cleans these up)", uploadId, bucket, objectKey, e.getMessage());
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
