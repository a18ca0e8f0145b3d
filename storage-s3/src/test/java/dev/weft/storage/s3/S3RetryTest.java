package dev.weft.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.StoreConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK retry strategy as the store configures it, against a loopback server that answers every request with
 * one fixed S3 error: throttling and 5xx are retried up to {@code retry.maxAttempts}, 4xx are not.
 */
class S3RetryTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status;
    private volatile String code;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                    + code + " from the test server</Message><RequestId>r1</RequestId></Error>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ArtifactStore store() {
        StoreConfig config = StoreConfig.of("retry", "s3", Map.of(
                "bucket", "b", "endpoint", "http://127.0.0.1:" + server.getAddress().getPort(),
                "region", "us-east-1", "retry.maxAttempts", "3",
                "credentials.accessKey", "AKIDRETRY", "credentials.secretKey", "retry-secret"));
        return TestStores.provider(Map.of()).create(config);
    }

    private Throwable putFails() {
        try (ArtifactStore store = store()) {
            return org.assertj.core.api.Assertions.catchThrowable(() -> store.put(ArtifactKey.of("k.txt"),
                    new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}), 3));
        }
    }

    @Test
    void slowDownIsRetriedThenReportedAsTransient() {
        status = 503;
        code = "SlowDown";
        Throwable failure = putFails();
        assertThat(failure).isInstanceOf(ArtifactStoreException.class)
                .hasMessageContaining("cannot put 'k.txt': the server answered 503 SlowDown");
        assertThat(((ArtifactStoreException) failure).kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void internalErrorsAreRetried() {
        status = 500;
        code = "InternalError";
        assertThat(((ArtifactStoreException) putFails()).kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void accessDeniedIsNotRetried() {
        status = 403;
        code = "AccessDenied";
        Throwable failure = putFails();
        assertThat(((ArtifactStoreException) failure).kind()).isEqualTo(Kind.ACCESS_DENIED);
        assertThat(failure).hasMessageContaining("with credentials from static").hasMessageNotContaining("retry-secret");
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void badRequestsAreNotRetried() {
        status = 400;
        code = "InvalidArgument";
        Throwable failure = putFails();
        assertThat(((ArtifactStoreException) failure).kind()).isEqualTo(Kind.FAILED);
        assertThat(failure).hasMessageContaining("400 InvalidArgument");
        assertThat(requests.get()).isEqualTo(1);
    }
}
