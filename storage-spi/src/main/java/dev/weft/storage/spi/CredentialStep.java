package dev.weft.storage.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a credential chain and what happened at it, e.g. {@code pod-identity: CHOSEN} or
 * {@code environment: SKIPPED (AWS_ACCESS_KEY_ID not set)}.
 *
 * @param source  the step's name: static, environment, web-identity, pod-identity, profile, instance-profile,
 *                assume-role, ...
 * @param outcome what happened
 * @param reason  why, in words an operator can act on; never a secret
 * @param details non-secret facts, e.g. {@code uri}, {@code tokenFile}, {@code roleArn}, {@code expiration}
 */
public record CredentialStep(String source, Outcome outcome, String reason, Map<String, String> details) {

    /** What happened at a step. */
    public enum Outcome {
        /** This step produced the credentials in use. */
        CHOSEN,
        /** This step does not apply here (its settings are absent or it is switched off). */
        SKIPPED,
        /** This step applied and failed; the reason says how. */
        FAILED,
        /** An earlier step was chosen, so this one was not tried. */
        NOT_TRIED
    }

    /** Copies the details and checks the fields. */
    public CredentialStep {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A step without details. */
    public static CredentialStep of(String source, Outcome outcome, String reason) {
        return new CredentialStep(source, outcome, reason, Map.of());
    }

    @Override
    public String toString() {
        return source + ": " + outcome + (reason.isEmpty() ? "" : " (" + reason + ")")
                + (details.isEmpty() ? "" : " " + details);
    }
}
