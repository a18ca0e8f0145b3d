package dev.weft.storage.minio.credentials;

import io.minio.credentials.AssumeRoleProvider;
import io.minio.credentials.Credentials;
import io.minio.credentials.Provider;
import io.minio.errors.MinioException;
import okhttp3.OkHttpClient;

/**
 * {@code roleArn}: STS AssumeRole signed with the credentials of the chain's chosen step (fetched, and so refreshed,
 * on every call), through minio-java's {@link AssumeRoleProvider}.
 *
 * <p>Limitation of minio-java 9.0.4: AssumeRoleProvider takes an access key and secret key but no session token, so
 * the base credentials must be long-term keys (static, env, profile); temporary base credentials (pod identity, web
 * identity) are refused by real STS.
 */
final class AssumeRoleFetcher implements FreshCredentials {

    private final StepContext context;
    private final Provider base;
    private final String roleArn;
    private final String sts;

    AssumeRoleFetcher(StepContext context, Provider base, String roleArn) {
        this.context = context;
        this.base = base;
        this.roleArn = roleArn;
        this.sts = WebIdentityStep.stsEndpoint(context);
    }

    String sts() {
        return sts;
    }

    @Override
    public Credentials fetch() {
        Credentials baseCredentials = base.fetch();
        ResponseCapture capture = new ResponseCapture();
        OkHttpClient client = context.httpClient().newBuilder().addInterceptor(capture).build();
        String sessionName = context.settings().roleSessionName().orElse("weft-" + System.currentTimeMillis());
        try {
            CredentialSettings.Overrides o = context.settings().overrides();
            Integer duration = o.roleDuration().map(d -> (int) d.toSeconds()).orElse(null);
            return new AssumeRoleProvider(sts, baseCredentials.accessKey(), baseCredentials.secretKey(), duration,
                    null, context.settings().region(), roleArn, sessionName, o.roleExternalId().orElse(null), client)
                    .fetch();
        } catch (MinioException e) {
            throw new CredentialFetchException("cannot build the AssumeRole request for " + roleArn + ": "
                    + e.getMessage(), false, null);
        } catch (RuntimeException e) {
            throw FailureDescriber.describe("STS", capture, context.settings().timeout(), e);
        }
    }
}
