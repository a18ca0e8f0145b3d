package dev.weft.engine.model;

import java.util.Optional;

/**
 * An explicit S3 location on an artifact (Argo {@code s3:}). Credentials references are not kept here: stores
 * resolve credentials through their own chains.
 *
 * @param key      the object key (or prefix)
 * @param bucket   the bucket, when it differs from the repository's
 * @param endpoint the endpoint, when it differs from the repository's
 * @param region   the region
 * @param insecure plain HTTP
 */
public record S3Location(String key, Optional<String> bucket, Optional<String> endpoint, Optional<String> region,
                         Optional<Boolean> insecure) {
}
