/**
 * The minio store's credential chain: minio-java 9.0.4 credential providers (static, MinIO and AWS environment,
 * web identity, {@code IamAwsProvider} for EKS Pod Identity and IMDS, AWS config, AssumeRole) driven from an
 * injectable environment, with Weft's reporting, retries and refresh-ahead caching around them.
 */
package dev.weft.storage.minio.credentials;
