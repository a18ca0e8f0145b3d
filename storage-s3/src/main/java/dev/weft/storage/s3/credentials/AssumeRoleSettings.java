package dev.weft.storage.s3.credentials;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A role to assume on top of the chain's credentials ({@code roleArn}, Argo's {@code roleARN}).
 *
 * @param roleArn     the role
 * @param sessionName the session name STS records
 * @param externalId  the external id the role's trust policy may require
 * @param duration    the requested session length
 */
public record AssumeRoleSettings(String roleArn, String sessionName, Optional<String> externalId, Duration duration) {

    /** Checks the fields. */
    public AssumeRoleSettings {
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(duration, "duration");
    }
}
