package dev.weft.storage.minio.credentials;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Remembers where one credential request went and, when it failed, the status and the first part of the body.
 * minio-java's providers report only "failed with HTTP status code 403"; the agent's plain-text answer is what an
 * operator needs ("invalid token", "Access Denied").
 */
final class ResponseCapture implements Interceptor {

    private static final int MAX_BODY = 300;

    private volatile String hostAndPort;
    private volatile int status;
    private volatile String body;

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        hostAndPort = request.url().host() + ":" + request.url().port();
        Response response = chain.proceed(request);
        if (!response.isSuccessful()) {
            status = response.code();
            String text = response.peekBody(4096).string().replaceAll("\\s+", " ").trim();
            body = text.length() > MAX_BODY ? text.substring(0, MAX_BODY) + "..." : text;
        }
        return response;
    }

    /** host:port of the last request, or null when none was sent. */
    String hostAndPort() {
        return hostAndPort;
    }

    /** The failed response's status, or 0 when no request failed with a status. */
    int status() {
        return status;
    }

    /** The failed response's body (shortened, one line), or null. */
    String body() {
        return body;
    }
}
