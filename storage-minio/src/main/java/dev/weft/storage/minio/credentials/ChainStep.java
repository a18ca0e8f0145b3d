package dev.weft.storage.minio.credentials;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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
     * @param fetcher       fetches fresh credentials (and may fail)
     * @param details       non-secret facts for the report (uri, tokenFile, ...)
     * @param retriesItself whether {@code fetcher} applies its own retry rule (pod-identity), so the chain must not
     *                      wrap it in the generic one
     * @param note          after a successful fetch, what the report should say about it, e.g. "after 3 attempts
     *                      (retried: 500; timeout)"
     */
    record Ready(FreshCredentials fetcher, Map<String, String> details, boolean retriesItself,
                 Supplier<Optional<String>> note) implements Attempt {

        /** A step retried by the chain's generic rule, with nothing to add to the report. */
        Ready(FreshCredentials fetcher, Map<String, String> details) {
            this(fetcher, details, false, Optional::empty);
        }
    }
}
