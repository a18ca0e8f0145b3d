package dev.weft.storage.s3.credentials;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One step of Weft's credential chain: static keys, the environment, web identity, Pod Identity, a profile or the
 * instance profile. A step first says whether it applies here (its settings are present); only then is its provider
 * built and asked for credentials.
 */
public interface CredentialSource extends SdkAutoCloseable {

    /** The step's name in {@code credentials.chain} and in reports, e.g. "pod-identity". */
    String name();

    /** Why this step does not apply (e.g. "AWS_ACCESS_KEY_ID not set"), or empty when it applies. */
    Optional<String> skipReason();

    /**
     * The provider for this step; called only when {@link #skipReason()} is empty, at most once.
     *
     * @throws CredentialSourceException when the step's settings are unusable (a half-configured key pair, a
     *                                   disallowed URI); the chain records it as FAILED
     */
    AwsCredentialsProvider provider();

    /** Non-secret facts for the report, e.g. the agent URI or token file. */
    default Map<String, String> details() {
        return Map.of();
    }

    /**
     * What the report should add to a CHOSEN step's reason, e.g. "after 3 attempts (retried: 500; timeout)" when
     * getting the credentials took retries; empty by default.
     */
    default Optional<String> resolutionNote() {
        return Optional.empty();
    }

    /** Releases what the provider holds (threads, clients). */
    @Override
    default void close() {
    }
}
