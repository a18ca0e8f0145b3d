package dev.weft.storage.s3;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Server-side encryption for new objects: none, SSE-S3, SSE-KMS (key id and encryption context) or SSE-C (a
 * customer key that must also accompany every read). Holds the SSE-C key; {@link #toString()} never shows it.
 */
public final class Encryption {

    /** The kind of server-side encryption. */
    public enum Mode {
        /** No encryption header; the bucket's default applies. */
        NONE,
        /** SSE-S3 (AES256 with S3-managed keys). */
        S3,
        /** SSE-KMS. */
        KMS,
        /** SSE-C: a customer-provided AES-256 key. */
        CUSTOMER
    }

    private static final Encryption NONE = new Encryption(Mode.NONE, Optional.empty(), Optional.empty(), null);

    private final Mode mode;
    private final Optional<String> kmsKeyId;
    private final Optional<String> kmsContext;
    private final byte[] customerKey;

    private Encryption(Mode mode, Optional<String> kmsKeyId, Optional<String> kmsContext, byte[] customerKey) {
        this.mode = mode;
        this.kmsKeyId = kmsKeyId;
        this.kmsContext = kmsContext;
        this.customerKey = customerKey;
    }

    /** No server-side encryption header. */
    public static Encryption none() {
        return NONE;
    }

    /** SSE-S3. */
    public static Encryption s3() {
        return new Encryption(Mode.S3, Optional.empty(), Optional.empty(), null);
    }

    /**
     * SSE-KMS.
     *
     * @param keyId       the KMS key id or ARN; empty for the account's default S3 key
     * @param contextJson the encryption context as a JSON object, if any
     */
    public static Encryption kms(Optional<String> keyId, Optional<String> contextJson) {
        return new Encryption(Mode.KMS, keyId, contextJson.map(json ->
                Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))), null);
    }

    /** SSE-C with a 32-byte AES-256 key. */
    public static Encryption customer(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != 32) {
            throw new IllegalArgumentException("an SSE-C key must be 32 bytes, was " + key.length);
        }
        return new Encryption(Mode.CUSTOMER, Optional.empty(), Optional.empty(), key.clone());
    }

    /** The kind. */
    public Mode mode() {
        return mode;
    }

    /** The KMS key id, if SSE-KMS with an explicit key. */
    public Optional<String> kmsKeyId() {
        return kmsKeyId;
    }

    void apply(PutObjectRequest.Builder request) {
        switch (mode) {
            case S3 -> request.serverSideEncryption(ServerSideEncryption.AES256);
            case KMS -> {
                request.serverSideEncryption(ServerSideEncryption.AWS_KMS);
                kmsKeyId.ifPresent(request::ssekmsKeyId);
                kmsContext.ifPresent(request::ssekmsEncryptionContext);
            }
            case CUSTOMER -> request.sseCustomerAlgorithm("AES256").sseCustomerKey(keyBase64())
                    .sseCustomerKeyMD5(keyMd5());
            default -> {
            }
        }
    }

    void apply(CreateMultipartUploadRequest.Builder request) {
        switch (mode) {
            case S3 -> request.serverSideEncryption(ServerSideEncryption.AES256);
            case KMS -> {
                request.serverSideEncryption(ServerSideEncryption.AWS_KMS);
                kmsKeyId.ifPresent(request::ssekmsKeyId);
                kmsContext.ifPresent(request::ssekmsEncryptionContext);
            }
            case CUSTOMER -> request.sseCustomerAlgorithm("AES256").sseCustomerKey(keyBase64())
                    .sseCustomerKeyMD5(keyMd5());
            default -> {
            }
        }
    }

    void apply(UploadPartRequest.Builder request) {
        if (mode == Mode.CUSTOMER) {
            request.sseCustomerAlgorithm("AES256").sseCustomerKey(keyBase64()).sseCustomerKeyMD5(keyMd5());
        }
    }

    void apply(GetObjectRequest.Builder request) {
        if (mode == Mode.CUSTOMER) {
            request.sseCustomerAlgorithm("AES256").sseCustomerKey(keyBase64()).sseCustomerKeyMD5(keyMd5());
        }
    }

    void apply(HeadObjectRequest.Builder request) {
        if (mode == Mode.CUSTOMER) {
            request.sseCustomerAlgorithm("AES256").sseCustomerKey(keyBase64()).sseCustomerKeyMD5(keyMd5());
        }
    }

    private String keyBase64() {
        return Base64.getEncoder().encodeToString(customerKey);
    }

    private String keyMd5() {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(customerKey));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every JVM", e);
        }
    }

    /** The mode and KMS key id; never the customer key. */
    @Override
    public String toString() {
        return switch (mode) {
            case NONE -> "none";
            case S3 -> "SSE-S3";
            case KMS -> "SSE-KMS" + kmsKeyId.map(k -> " key " + k).orElse("")
                    + (kmsContext.isPresent() ? " with context" : "");
            case CUSTOMER -> "SSE-C";
        };
    }
}
