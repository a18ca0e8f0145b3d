package dev.weft.storage.minio.credentials;

import io.minio.credentials.Credentials;

/** Fetches new credentials from a source every time it is called, without caching: {@link RefreshingProvider} caches. */
@FunctionalInterface
public interface FreshCredentials {

    /**
     * @return credentials just obtained from the source
     * @throws CredentialFetchException when the source cannot produce them
     */
    Credentials fetch();
}
