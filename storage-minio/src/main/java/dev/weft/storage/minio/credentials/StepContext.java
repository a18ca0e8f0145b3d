package dev.weft.storage.minio.credentials;

import okhttp3.OkHttpClient;

/**
 * What every chain step needs.
 *
 * @param settings   the store's credential settings
 * @param env        where variables are read
 * @param httpClient the client for agents and STS (timeouts already set to {@code credentials.timeout})
 */
record StepContext(CredentialSettings settings, CredentialEnvironment env, OkHttpClient httpClient) {
}
