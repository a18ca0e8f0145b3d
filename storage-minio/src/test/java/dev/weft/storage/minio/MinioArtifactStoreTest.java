package dev.weft.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.storage.minio.credentials.CredentialEnvironment;
import dev.weft.storage.minio.credentials.LoopbackHttp;
import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.spi.StoreDescription;
import dev.weft.storage.testkit.GeneratedStream;
import dev.weft.storage.testkit.PodIdentityAgent;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The minio store's own behaviour beyond the contract: configuration, prefixes, errors, retries, close, secrets. */
class MinioArtifactStoreTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

    private static final Map<String, String> NO_IMDS = Map.of("AWS_EC2_METADATA_DISABLED", "true");

    @TempDir
    Path dir;

    @Test
    void theKeyPrefixIsPrependedOnTheServerAndHiddenFromKeys() {
        S3.createBucket("prefixed");
        try (ArtifactStore store = store("prefixed", Map.of("keyPrefix", "/team/a/"))) {
            store.put(ArtifactKey.of("dir/x.txt"), stream("x"), 1);

            assertThat(S3.objectKeys("prefixed")).containsExactly("team/a/dir/x.txt");
            try (Stream<ArtifactInfo> all = store.list("")) {
                assertThat(all.map(i -> i.key().value())).containsExactly("dir/x.txt");
            }
            assertThat(store.describe().attributes()).containsEntry("keyPrefix", "team/a");
        }
    }

    @Test
    void aMissingBucketIsCreatedOnlyWhenAsked() {
        try (ArtifactStore store = store("not-there-yet", Map.of())) {
            assertThatThrownBy(() -> store.put(ArtifactKey.of("a"), stream("a"), 1))
                    .isInstanceOfSatisfying(ArtifactStoreException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.FAILED))
                    .hasMessageContaining("bucket 'not-there-yet' does not exist")
                    .hasMessageContaining("createBucketIfNotPresent=true");
        }
        try (ArtifactStore store = store("not-there-yet", Map.of("createBucketIfNotPresent", "true"))) {
            store.put(ArtifactKey.of("a"), stream("a"), 1);
            assertThat(S3.bucketExists("not-there-yet")).isTrue();
        }
    }

    @Test
    void aMultipartUploadThatFailsHalfwayIsAborted() {
        S3.createBucket("aborts");
        try (ArtifactStore store = store("aborts", Map.of("partSize", "5MiB", "uploadConcurrency", "2"))) {
            InputStream failing = new FailAfter(new GeneratedStream(16L * 1024 * 1024, 1), 11L * 1024 * 1024);
            assertThatThrownBy(() -> store.put(ArtifactKey.of("big"), failing, -1))
                    .isInstanceOf(ArtifactStoreException.class).hasMessageContaining("'big'");

            assertThat(S3.openMultipartUploads("aborts")).isZero();
            assertThat(S3.objectKeys("aborts")).isEmpty();
        }
    }

    @Test
    void wrongStaticKeysAreDeniedNamingTheStaticSource() {
        S3.createBucket("denied");
        Map<String, String> props = base("denied");
        props.put("credentials.secretKey", "a-wrong-secret-value");
        try (ArtifactStore store = provider(NO_IMDS).create(StoreConfig.of("default", "minio", props))) {
            assertThatThrownBy(() -> store.put(ArtifactKey.of("k"), stream("k"), 1))
                    .isInstanceOfSatisfying(ArtifactStoreException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
                        assertThat(e.getMessage()).contains("using credentials from static")
                                .doesNotContain("a-wrong-secret-value");
                        assertThat(stackTrace(e)).doesNotContain("a-wrong-secret-value");
                    });
        }
    }

    @Test
    void noCredentialsAtAllIsCredentialsUnavailableWithTheWholeChain() {
        Map<String, String> props = new HashMap<>(base("whatever"));
        props.remove("credentials.accessKey");
        props.remove("credentials.secretKey");
        props.put("credentials.chain", "static,environment,instance-profile");
        try (ArtifactStore store = provider(NO_IMDS).create(StoreConfig.of("default", "minio", props))) {
            assertThatThrownBy(() -> store.stat(ArtifactKey.of("k")))
                    .isInstanceOfSatisfying(ArtifactStoreException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_UNAVAILABLE))
                    .hasMessageContaining("no credential source produced credentials")
                    .hasMessageContaining("environment: SKIPPED (AWS_ACCESS_KEY_ID not set)")
                    .hasMessageContaining("instance-profile: SKIPPED");
        }
    }

    @Test
    void retryableServerErrorsAreRetriedThenReportedAsTransient() throws IOException {
        try (LoopbackHttp busy = new LoopbackHttp(exchange -> new LoopbackHttp.Answer(503, "application/xml",
                "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"))) {
            Map<String, String> props = base("busy");
            props.put("endpoint", busy.url());
            props.put("maxRetries", "2");
            try (ArtifactStore store = provider(NO_IMDS).create(StoreConfig.of("default", "minio", props))) {
                assertThatThrownBy(() -> store.put(ArtifactKey.of("k"), stream("k"), 1))
                        .isInstanceOfSatisfying(ArtifactStoreException.class,
                                e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT))
                        .hasMessageContaining("503 SlowDown");
            }
            assertThat(busy.requests()).hasSize(3);
        }
    }

    @Test
    void aServerSlowerThanTheReadTimeoutIsATransientTimeout() throws IOException {
        try (LoopbackHttp slow = new LoopbackHttp(exchange -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new LoopbackHttp.Answer(200, "application/xml", "");
        })) {
            Map<String, String> props = base("slow");
            props.put("endpoint", slow.url());
            props.put("readTimeout", "300ms");
            props.put("maxRetries", "0");
            try (ArtifactStore store = provider(NO_IMDS).create(StoreConfig.of("default", "minio", props))) {
                assertThatThrownBy(() -> store.stat(ArtifactKey.of("k")))
                        .isInstanceOfSatisfying(ArtifactStoreException.class,
                                e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT))
                        .hasMessageContaining("cannot stat 'k'").hasMessageContaining("readTimeout 300 ms");
            }
        }
    }

    @Test
    void customerKeysAndKmsAreRefusedOverHttp() throws IOException {
        Path key = Files.write(dir.resolve("sse-c.key"), new byte[32]);
        Map<String, String> sseC = base("any");
        sseC.put("sse", "c");
        sseC.put("sse.customerKeyFile", key.toString());
        assertThatThrownBy(() -> provider(NO_IMDS).create(StoreConfig.of("default", "minio", sseC)))
                .isInstanceOfSatisfying(ArtifactStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_CONFIG))
                .hasMessageContaining("SSE-C").hasMessageContaining("https");

        Map<String, String> kms = base("any");
        kms.put("sse.type", "kms");
        kms.put("sse.kmsKeyId", "alias/weft");
        assertThatThrownBy(() -> provider(NO_IMDS).create(StoreConfig.of("default", "minio", kms)))
                .hasMessageContaining("SSE-KMS").hasMessageContaining("https");
    }

    @Test
    void sseOverHttpsIsAcceptedAndDescribed() throws IOException {
        Path key = Files.writeString(dir.resolve("sse-c.b64"),
                java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        Map<String, String> props = base("any");
        props.put("endpoint", "https://s3.example.test");
        props.put("sse.type", "c");
        props.put("sse.customerKeyFile", key.toString());
        try (ArtifactStore store = provider(NO_IMDS).create(StoreConfig.of("default", "minio", props))) {
            assertThat(store.describe().attributes()).containsEntry("sse", "c")
                    .containsEntry("endpoint", "https://s3.example.test");
        }
    }

    @Test
    void badSettingsAreConfigurationErrorsNamingTheProperty() {
        assertInvalid(Map.of("bucket", ""), "missing required property 'bucket'");
        assertInvalid(Map.of("partSize", "1MiB"), "'partSize' = 1048576 must be between 5 MiB and 5 GiB");
        assertInvalid(Map.of("endpoint", "ftp://host"), "'endpoint' = 'ftp://host' is not http(s)://host[:port]");
        assertInvalid(Map.of("endpoint", "http://host:9000/bucket"), "must not have a path");
        assertInvalid(Map.of("uploadConcurrency", "0"), "'uploadConcurrency' = 0");
        assertInvalid(Map.of("sse", "aes"), "'sse' = 'aes' is not one of none, s3, kms, c");
        assertInvalid(Map.of("retry.maxAttempts", "0"), "'retry.maxAttempts' = 0 must be >= 1");
        assertInvalid(Map.of("caFile", dir.resolve("no-ca.pem").toString()), "caFile " + dir.resolve("no-ca.pem"));
        assertInvalid(Map.of("roleARN", "arn:a", "roleArn", "arn:b"), "'roleARN' and 'roleArn'");
    }

    @Test
    void anEndpointWithoutSchemeMeansHttpsAndPathStyleIsDescribed() {
        Map<String, String> props = base("any");
        props.put("endpoint", "minio.example.test:9000");
        props.put("pathStyle", "false");
        try (ArtifactStore store = provider(NO_IMDS).create(StoreConfig.of("default", "minio", props))) {
            StoreDescription d = store.describe();
            assertThat(d.attributes()).containsEntry("endpoint", "https://minio.example.test:9000")
                    .containsEntry("addressing", "virtual-host");
            assertThat(d.where()).isEqualTo("minio store 'default' (bucket 'any' at https://minio.example.test:9000)");
        }
    }

    @Test
    void argoStyleEndpointWithInsecureMeansPlainHttpAndTheS3StoresNamesAreAccepted() {
        S3.createBucket("argo-style");
        Map<String, String> props = base("argo-style");
        props.remove("pathStyle");
        props.remove("credentials.accessKey");
        props.remove("credentials.secretKey");
        props.put("endpoint", S3.endpoint().getHost() + ":" + S3.endpoint().getPort());
        props.put("insecure", "true");
        props.put("accessKey", S3.accessKey());
        props.put("secretKey", S3.secretKey());
        props.put("addressingStyle", "path");
        props.put("multipart.partSize", "6MiB");
        props.put("multipart.concurrency", "2");
        props.put("retry.maxAttempts", "4");
        props.put("http.socketTimeout", "30s");
        try (ArtifactStore store = provider(NO_IMDS).create(StoreConfig.of("default", "minio", props))) {
            store.put(ArtifactKey.of("argo.txt"), stream("argo"), 4);
            assertThat(store.describe().attributes())
                    .containsEntry("endpoint", "http://127.0.0.1:" + S3.endpoint().getPort())
                    .containsEntry("addressing", "path-style")
                    .containsEntry("partSize", Long.toString(6L * 1024 * 1024));
            assertThat(S3.objectKeys("argo-style")).containsExactly("argo.txt");
        }
        MinioStoreSettings settings = MinioStoreSettings.from(StoreConfig.of("default", "minio", props));
        assertThat(settings.maxRetries()).isEqualTo(3);
        assertThat(settings.uploadConcurrency()).isEqualTo(2);
        assertThat(settings.readTimeout()).hasSeconds(30);
    }

    @Test
    void argoEncryptionOptionsChooseTheSseMode() throws IOException {
        Map<String, String> props = base("any");
        props.put("endpoint", "https://s3.example.test");
        props.put("encryptionOptions.enableEncryption", "true");
        assertThat(MinioStoreSettings.from(StoreConfig.of("d", "minio", props)).sse().type()).isEqualTo("s3");
        props.put("encryptionOptions.kmsKeyId", "alias/weft");
        assertThat(MinioStoreSettings.from(StoreConfig.of("d", "minio", props)).sse().type()).isEqualTo("kms");
        props.put("encryptionOptions.serverSideCustomerKeyFile",
                Files.write(dir.resolve("k"), new byte[32]).toString());
        assertThat(MinioStoreSettings.from(StoreConfig.of("d", "minio", props)).sse().type()).isEqualTo("c");
    }

    @Test
    void closingTheStoreStopsItsHttpThreadsAndFurtherUseFails() throws Exception {
        S3.createBucket("closing");
        ArtifactStore store = store("closing", Map.of());
        store.put(ArtifactKey.of("c"), stream("c"), 1);
        store.close();
        store.close(); // idempotent

        assertThatThrownBy(() -> store.stat(ArtifactKey.of("c"))).hasMessageContaining("closed");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("OkHttp") && !t.isDaemon()) {
                t.join(5000);
                assertThat(t.isAlive()).as("non-daemon thread %s still alive", t.getName()).isFalse();
            }
        }
    }

    @Test
    void noSecretReachesTheLogsEvenWhenThingsFail() throws IOException {
        S3.createBucket("logged");
        Path tokenFile = Files.writeString(dir.resolve("token"), "log-test-pod-token");
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("dev.weft"),
                (Logger) LoggerFactory.getLogger("io.minio"), (Logger) LoggerFactory.getLogger("okhttp3"));
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Map<Logger, Level> before = new HashMap<>();
        for (Logger l : loggers) {
            before.put(l, l.getLevel());
            l.setLevel(Level.DEBUG);
            l.addAppender(captured);
        }
        String sessionToken = "log-test-session-token";
        try (PodIdentityAgent agent = PodIdentityAgent.start(tokenFile, S3.accessKey(), S3.secretKey())
                .sessionToken(sessionToken)) {
            Map<String, String> env = Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri().toString(),
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString(), "AWS_EC2_METADATA_DISABLED", "true");
            Map<String, String> props = new HashMap<>(base("logged"));
            props.remove("credentials.accessKey");
            props.remove("credentials.secretKey");
            try (ArtifactStore store = provider(env).create(StoreConfig.of("default", "minio", props))) {
                store.put(ArtifactKey.of("ok"), stream("ok"), 2);
                assertThatThrownBy(() -> store.open(ArtifactKey.of("missing")));
            }
            agent.credentials(S3.accessKey(), "log-test-wrong-secret");
            try (ArtifactStore store = provider(env).create(StoreConfig.of("default", "minio", props))) {
                assertThatThrownBy(() -> store.put(ArtifactKey.of("denied"), stream("x"), 1))
                        .satisfies(e -> org.slf4j.LoggerFactory.getLogger("dev.weft.test").warn("failed", e));
            }
        } finally {
            for (Logger l : loggers) {
                l.detachAppender(captured);
                l.setLevel(before.get(l));
            }
        }
        ((Logger) LoggerFactory.getLogger("dev.weft.test")).detachAppender(captured);

        assertThat(captured.list).isNotEmpty();
        for (ILoggingEvent event : captured.list) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).doesNotContain(S3.secretKey()).doesNotContain(sessionToken)
                    .doesNotContain("log-test-pod-token").doesNotContain("log-test-wrong-secret");
        }
    }

    private void assertInvalid(Map<String, String> overrides, String expected) {
        Map<String, String> props = base("any");
        props.putAll(overrides);
        assertThatThrownBy(() -> provider(NO_IMDS).create(StoreConfig.of("default", "minio", props)))
                .isInstanceOfSatisfying(ArtifactStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_CONFIG))
                .hasMessageContaining(expected);
    }

    private ArtifactStore store(String bucket, Map<String, String> extra) {
        Map<String, String> props = base(bucket);
        props.putAll(extra);
        return provider(NO_IMDS).create(StoreConfig.of("default", "minio", props));
    }

    private static MinioArtifactStoreProvider provider(Map<String, String> env) {
        return new MinioArtifactStoreProvider(CredentialEnvironment.of(env), Clock.systemUTC());
    }

    private static Map<String, String> base(String bucket) {
        Map<String, String> props = new HashMap<>();
        props.put("endpoint", S3.endpoint().toString());
        props.put("region", S3.region());
        props.put("bucket", bucket);
        props.put("pathStyle", "true");
        props.put("credentials.accessKey", S3.accessKey());
        props.put("credentials.secretKey", S3.secretKey());
        return props;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** Throws after {@code limit} bytes, like a producer that dies mid-stream. */
    private static final class FailAfter extends FilterInputStream {
        private final long limit;
        private long read;

        FailAfter(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= limit) {
                throw new IOException("producer died after " + read + " bytes");
            }
            int n = super.read(b, off, (int) Math.min(len, limit - read));
            read += Math.max(n, 0);
            return n;
        }
    }
}
