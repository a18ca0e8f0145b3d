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
    private volatile String retryAfter;

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        hostAndPort = request.url().host() + ":" + request.url().port();
        Response response = chain.proceed(request);
        // Every status, a 200 too: a 200 whose body cannot be parsed is a different failure from no answer.
        status = response.code();
        retryAfter = response.header("Retry-After");
        if (!response.isSuccessful()) {
            String text = response.peekBody(4096).string().replaceAll("\\s+", " ").trim();
            body = text.length() > MAX_BODY ? text.substring(0, MAX_BODY) + "..." : text;
        }
        return response;
    }

    /** host:port of the last request, or null when none was sent. */
    String hostAndPort() {
        return hostAndPort;
    }

    /** The last response's status (also 200), or 0 when no response came. */
    int status() {
        return status;
    }

    /** The last response's Retry-After header, or null. */
    String retryAfter() {
        return retryAfter;
    }

    /** The failed response's body (shortened, one line), or null. */
    String body() {
        return body;
    }
}
