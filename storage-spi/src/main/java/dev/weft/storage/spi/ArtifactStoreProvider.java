package dev.weft.storage.spi;

import org.pf4j.ExtensionPoint;

/**
 * Makes stores of one type. Built-in stores and plugins register one provider per type; a plugin marks its
 * implementation with PF4J's {@code @Extension} so that it is listed in the plugin JAR's
 * {@code META-INF/extensions.idx}.
 *
 * <p>Implementations need a public no-argument constructor and no state beyond what {@link #create} returns.
 */
public interface ArtifactStoreProvider extends ExtensionPoint {

    /** The store type this provider makes, lower case: "fs", "s3", "minio". */
    String type();

    /**
     * Makes a store from its configuration. Implementations check the configuration here and fail fast with an
     * {@link ArtifactStoreException.Kind#INVALID_CONFIG} error naming the property; network clients may be built
     * lazily on first use.
     *
     * @throws ArtifactStoreException when the configuration is invalid or the store cannot be set up
     */
    ArtifactStore create(StoreConfig config);

    /**
     * Walks the credential chain this provider would use for {@code config}, without touching the store itself, and
     * reports every step. Stores that need no credentials (a local directory) return {@link CredentialReport#none()}.
     * This is what {@code weft credentials} prints.
     */
    default CredentialReport diagnoseCredentials(StoreConfig config) {
        return CredentialReport.none();
    }
}
