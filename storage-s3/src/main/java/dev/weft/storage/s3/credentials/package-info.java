/**
 * The S3 store's credential chain: {@link dev.weft.storage.s3.credentials.CredentialChain} walks the configured steps
 * (static, environment, web-identity, pod-identity, profile, instance-profile), reports each one's outcome, and
 * optionally assumes a role on top. Weft's own {@link dev.weft.storage.s3.credentials.PodIdentityCredentialsProvider}
 * speaks the EKS Pod Identity / ECS container-credentials protocol; expiring credentials are cached and refreshed ahead
 * of expiry by {@link dev.weft.storage.s3.credentials.RefreshingCredentialsProvider}. Everything reads its environment
 * through an injectable {@link dev.weft.storage.s3.credentials.Environment}.
 */
package dev.weft.storage.s3.credentials;
