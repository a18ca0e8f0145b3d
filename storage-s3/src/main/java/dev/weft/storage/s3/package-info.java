/**
 * The {@code s3} artifact store plugin on the AWS SDK for Java v2: {@link dev.weft.storage.s3.S3ArtifactStoreProvider}
 * (the PF4J extension), {@link dev.weft.storage.s3.S3ArtifactStore} and its settings
 * ({@link dev.weft.storage.s3.S3StoreSettings}, which also lists the Argo aliases). Credentials come from the explicit
 * chain in {@link dev.weft.storage.s3.credentials}.
 */
package dev.weft.storage.s3;
