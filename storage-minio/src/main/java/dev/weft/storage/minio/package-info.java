/**
 * The {@code minio} artifact store plugin: {@link dev.weft.storage.minio.MinioArtifactStoreProvider} (a PF4J
 * extension) makes {@link dev.weft.storage.minio.MinioArtifactStore}s on minio-java 9.0.4.
 */
package dev.weft.storage.minio;
