package dev.weft.storage.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a store is and where it points, for logs, errors, the run result and {@code weft plugins}. Holds no secret.
 *
 * @param type        the store type ("fs", "s3", "minio")
 * @param name        what the engine calls this store ("default", or an {@code artifactRepositoryRef} key)
 * @param attributes  where it points, e.g. {@code bucket}, {@code endpoint}, {@code region}, {@code root},
 *                    {@code keyPrefix}; insertion order is kept
 * @param credentials how credentials were resolved ({@link CredentialReport#none()} for stores without any)
 */
public record StoreDescription(String type, String name, Map<String, String> attributes,
                               CredentialReport credentials) {

    /** Copies the attributes and checks the fields. */
    public StoreDescription {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(credentials, "credentials");
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /**
     * A short phrase naming the store for error messages, e.g. {@code s3 store 'default' (bucket 'b' at
     * http://127.0.0.1:9000)} or {@code fs store 'default' (root /var/weft)}.
     */
    public String where() {
        StringBuilder out = new StringBuilder(type).append(" store '").append(name).append('\'');
        String bucket = attributes.get("bucket");
        String root = attributes.get("root");
        String endpoint = attributes.get("endpoint");
        if (bucket != null) {
            out.append(" (bucket '").append(bucket).append('\'');
            if (endpoint != null) {
                out.append(" at ").append(endpoint);
            }
            out.append(')');
        } else if (root != null) {
            out.append(" (root ").append(root).append(')');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return where() + " " + attributes + (credentials.steps().isEmpty() ? "" : " credentials: " + credentials);
    }
}
