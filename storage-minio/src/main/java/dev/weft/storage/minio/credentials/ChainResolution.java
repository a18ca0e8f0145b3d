package dev.weft.storage.minio.credentials;

import dev.weft.storage.spi.CredentialReport;
import io.minio.credentials.Provider;
import java.util.Objects;
import java.util.Optional;

/**
 * What walking the chain gave: the report (every step and what happened at it) and, when a step was chosen, the
 * refreshing provider to sign requests with.
 *
 * @param report   every step in order; safe to print
 * @param provider the chosen credentials, or empty when no step produced any
 * @param source   the chosen source for messages, e.g. {@code pod-identity} or {@code assume-role via static};
 *                 {@code none} when nothing was chosen
 */
public record ChainResolution(CredentialReport report, Optional<Provider> provider, String source) {

    /** Checks the fields. */
    public ChainResolution {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(source, "source");
    }
}
