package dev.weft.storage.minio.credentials;

import java.util.Map;

/** One source of the credential chain: decides whether it applies here and, if so, how to fetch credentials. */
interface ChainStep {

    /** The step's name as used in {@code credentials.chain}, e.g. {@code pod-identity}. */
    String name();

    /** Whether this step applies, checked without any network call. */
    Attempt attempt();

    /** The outcome of {@link #attempt()}. */
    sealed interface Attempt permits Skipped, Ready {
    }

    /** The step does not apply; the reason says why ("AWS_CONTAINER_CREDENTIALS_FULL_URI not set"). */
    record Skipped(String reason) implements Attempt {
    }

    /**
     * The step applies.
     *
     * @param fetcher fetches fresh credentials (and may fail)
     * @param details non-secret facts for the report (uri, tokenFile, ...)
     */
    record Ready(FreshCredentials fetcher, Map<String, String> details) implements Attempt {
    }
}
