package dev.weft.storage.s3.credentials;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.StsException;

/** Turns STS failures into secret-free {@link CredentialSourceException}s. */
final class StsFailures {

    private StsFailures() {
    }

    static CredentialSourceException describe(String source, String action, String roleArn, String where,
                                              SdkException e) {
        if (e instanceof StsException sts && sts.awsErrorDetails() != null) {
            return new CredentialSourceException(source, where + " refused " + action + " for role " + roleArn
                    + ": " + sts.statusCode() + " " + sts.awsErrorDetails().errorCode() + ": "
                    + sts.awsErrorDetails().errorMessage(), e);
        }
        return new CredentialSourceException(source, action + " for role " + roleArn + " at " + where + " failed: "
                + e.getMessage(), e);
    }
}
