package dev.weft.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.weft.storage.minio.credentials.CredentialEnvironment;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.StoreConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS trust against a loopback https server with a self-signed certificate (made with the JDK's keytool): refused by
 * default, trusted through {@code caFile}, reached without verification only with {@code insecureSkipVerify}. The
 * server answers 404 to everything, so a {@code stat} that returns empty proves the handshake worked.
 */
class MinioTlsTest {

    @TempDir
    static Path dir;

    private static HttpsServer server;
    private static Path caPem;
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        run("keytool", "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        caPem = dir.resolve("ca.pem");
        run("keytool", "-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", caPem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            REQUESTS.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedWithAHint() {
        int before = REQUESTS.get();
        try (ArtifactStore store = store(Map.of())) {
            assertThatThrownBy(() -> store.stat(ArtifactKey.of("k")))
                    .isInstanceOfSatisfying(ArtifactStoreException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.FAILED))
                    .hasMessageContaining("TLS with the endpoint failed").hasMessageContaining("set caFile");
        }
        assertThat(REQUESTS.get()).isEqualTo(before);
    }

    @Test
    void aCaFileMakesTheServerTrusted() {
        int before = REQUESTS.get();
        try (ArtifactStore store = store(Map.of("caFile", caPem.toString()))) {
            assertThat(store.stat(ArtifactKey.of("k"))).isEmpty();
        }
        assertThat(REQUESTS.get()).isGreaterThan(before);
    }

    @Test
    void insecureSkipVerifyReachesTheServerWithoutTrust() {
        int before = REQUESTS.get();
        try (ArtifactStore store = store(Map.of("insecureSkipVerify", "true"))) {
            assertThat(store.stat(ArtifactKey.of("k"))).isEmpty();
            assertThat(store.describe().attributes()).containsEntry("insecureSkipVerify", "true");
        }
        assertThat(REQUESTS.get()).isGreaterThan(before);
    }

    private static ArtifactStore store(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("bucket", "tls-bucket",
                "endpoint", "https://127.0.0.1:" + server.getAddress().getPort(), "pathStyle", "true",
                "maxRetries", "0", "credentials.accessKey", "AKIDTLS", "credentials.secretKey", "tls-secret"));
        props.putAll(extra);
        return new MinioArtifactStoreProvider(CredentialEnvironment.of(Map.of("AWS_EC2_METADATA_DISABLED", "true")),
                Clock.systemUTC()).create(StoreConfig.of("tls", "minio", props));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
