package dev.weft.storage.minio;

import dev.weft.storage.spi.StoreConfig;
import io.minio.ServerSideEncryption;
import io.minio.errors.MinioException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-side encryption for writes (and, for customer keys, reads): {@code sse} (alias {@code sse.type}) = {@code s3} (SSE-S3),
 * {@code kms} (SSE-KMS with {@code sse.kmsKeyId} and optional {@code sse.kmsContext}) or {@code c} (SSE-C with the
 * 256-bit key in {@code sse.customerKeyFile}, raw 32 bytes or base64).
 *
 * @param type        none, s3, kms or c
 * @param kmsKeyId    the KMS key id (kms only)
 * @param forWrites   the headers' source for PUT requests, or empty for none
 * @param customerKey the SSE-C key for reads too, or empty
 */
record SseSettings(String type, Optional<String> kmsKeyId, Optional<ServerSideEncryption> forWrites,
                   Optional<ServerSideEncryption.CustomerKey> customerKey) {

    static SseSettings none() {
        return new SseSettings("none", Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reads and checks {@code sse.*}; SSE-C and SSE-KMS need an https endpoint. */
    static SseSettings from(StoreConfig config, boolean https) {
        String type = switch (config.getChoice("sse", "none", "none", "s3", "kms", "c", "aes256", "aws:kms",
                "sse-s3", "sse-kms", "sse-c")) {
            case "s3", "aes256", "sse-s3" -> "s3";
            case "kms", "aws:kms", "sse-kms" -> "kms";
            case "c", "sse-c" -> "c";
            default -> "none";
        };
        try {
            switch (type) {
                case "s3":
                    return new SseSettings(type, Optional.empty(), Optional.of(new ServerSideEncryption.S3()),
                            Optional.empty());
                case "kms": {
                    String keyId = config.requireString("sse.kmsKeyId");
                    Map<String, String> context = kmsContext(config);
                    requireHttps(config, https, "SSE-KMS");
                    return new SseSettings(type, Optional.of(keyId),
                            Optional.of(new ServerSideEncryption.KMS(keyId, context.isEmpty() ? null : context)),
                            Optional.empty());
                }
                case "c": {
                    requireHttps(config, https, "SSE-C (customer keys)");
                    Path file = config.getPath("sse.customerKeyFile")
                            .orElseThrow(() -> config.invalid("sse=c needs 'sse.customerKeyFile' "
                                    + "(a file with the 256-bit key, raw or base64)"));
                    ServerSideEncryption.CustomerKey key = new ServerSideEncryption.CustomerKey(
                            new SecretKeySpec(readKey(config, file), "AES"));
                    return new SseSettings(type, Optional.empty(), Optional.of(key), Optional.of(key));
                }
                default:
                    return none();
            }
        } catch (MinioException e) {
            throw config.invalid("sse." + type + " settings rejected by minio-java: " + e.getMessage());
        }
    }

    private static void requireHttps(StoreConfig config, boolean https, String what) {
        if (!https) {
            throw config.invalid(what + " (sse) needs an https endpoint: the key or request would travel "
                    + "in clear text over http");
        }
    }

    private static Map<String, String> kmsContext(StoreConfig config) {
        Map<String, String> context = new LinkedHashMap<>();
        Optional<String> raw = config.getString("sse.kmsContext");
        if (raw.isEmpty()) {
            return context;
        }
        String body = raw.get().trim();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1);
        }
        for (String pair : body.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int sep = pair.indexOf(pair.contains("=") ? '=' : ':');
            if (sep <= 0) {
                throw config.invalid("sse.kmsContext: '" + pair.trim() + "' is not key=value");
            }
            context.put(unquote(pair.substring(0, sep)), unquote(pair.substring(sep + 1)));
        }
        return context;
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static byte[] readKey(StoreConfig config, Path file) {
        try {
            byte[] raw = Files.readAllBytes(file);
            if (raw.length == 32) {
                return raw;
            }
            byte[] decoded = Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).trim());
            if (decoded.length == 32) {
                return decoded;
            }
            throw config.invalid("sse.customerKeyFile " + file + " does not hold a 256-bit key (32 raw bytes "
                    + "or their base64)");
        } catch (IllegalArgumentException e) {
            throw config.invalid("sse.customerKeyFile " + file + " does not hold a 256-bit key (32 raw bytes "
                    + "or their base64)");
        } catch (IOException e) {
            throw config.invalid("sse.customerKeyFile " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
