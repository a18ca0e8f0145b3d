package dev.weft.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.RangedReads;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.GeneratedStream;
import dev.weft.storage.testkit.S3ProxyExtension;
import dev.weft.storage.testkit.StsStandIn;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** S3-specific behaviour beyond the contract: prefixes, bucket creation, aborts, error kinds, encryption options. */
class S3ArtifactStoreTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

    @TempDir
    Path dir;

    private static String newBucket() {
        return S3.createBucket("b-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static ArtifactStore store(String bucket, String... extra) {
        StoreConfig config = TestStores.withStaticKeys(S3, bucket);
        for (int i = 0; i < extra.length; i += 2) {
            config = config.with(extra[i], extra[i + 1]);
        }
        return TestStores.provider(Map.of()).create(config);
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Kind kindOf(Throwable e) {
        return ((ArtifactStoreException) e).kind();
    }

    @Test
    void theKeyPrefixIsAddedOnTheServerAndRemovedInListings() {
        String bucket = newBucket();
        try (ArtifactStore store = store(bucket, "keyPrefix", "/team-a/artifacts/")) {
            store.put(ArtifactKey.of("wf/one.txt"), text("1"), -1);
            store.put(ArtifactKey.of("wf/two.txt"), text("22"), -1);
            assertThat(S3.objectKeys(bucket)).containsExactly("team-a/artifacts/wf/one.txt",
                    "team-a/artifacts/wf/two.txt");
            try (Stream<ArtifactInfo> listed = store.list("wf/")) {
                assertThat(listed.map(i -> i.key().value() + "=" + i.size()))
                        .containsExactly("wf/one.txt=1", "wf/two.txt=2");
            }
            assertThat(store.stat(ArtifactKey.of("wf/two.txt"))).map(ArtifactInfo::size).contains(2L);
            assertThat(store.describe().attributes()).containsEntry("keyPrefix", "team-a/artifacts/");
        }
    }

    @Test
    void argosCreateBucketIfNotPresentCreatesTheBucketOnFirstWrite() {
        String bucket = "created-" + UUID.randomUUID().toString().substring(0, 8);
        try (ArtifactStore store = store(bucket, "createBucketIfNotPresent.objectLocking", "false")) {
            assertThat(S3.bucketExists(bucket)).isFalse();
            store.put(ArtifactKey.of("first.txt"), text("first"), -1);
            assertThat(S3.bucketExists(bucket)).isTrue();
            assertThat(S3.objectKeys(bucket)).containsExactly("first.txt");
        }
    }

    @Test
    void aMissingBucketIsNamedWhenNotAskedToCreateIt() {
        String bucket = "absent-" + UUID.randomUUID().toString().substring(0, 8);
        try (ArtifactStore store = store(bucket)) {
            assertThatThrownBy(() -> store.put(ArtifactKey.of("x.txt"), text("x"), -1))
                    .hasMessageContaining("bucket '" + bucket + "'")
                    .hasMessageContaining("the bucket does not exist")
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.FAILED));
        }
    }

    @Test
    void aMultipartUploadThatFailsIsAbortedLeavingNoObjectAndNoOpenUpload() {
        String bucket = newBucket();
        try (ArtifactStore store = store(bucket, "multipart.concurrency", "2")) {
            InputStream failing = new FailAfter(new GeneratedStream(20L * 1024 * 1024, 5), 12L * 1024 * 1024);
            assertThatThrownBy(() -> store.put(ArtifactKey.of("big.bin"), failing, -1))
                    .hasMessageContaining("cannot put 'big.bin': reading the data failed, nothing was stored")
                    .hasMessageContaining("disk on fire");
            assertThat(S3.objectKeys(bucket)).isEmpty();
            assertThat(S3.openMultipartUploads(bucket)).isZero();
        }
    }

    @Test
    void aLargeFileGoesUpInPartsAndReadsBackWhole() throws IOException {
        String bucket = newBucket();
        Path file = dir.resolve("large.bin");
        try (InputStream in = new GeneratedStream(11L * 1024 * 1024 + 3, 7)) {
            Files.copy(in, file);
        }
        try (ArtifactStore store = store(bucket, "multipart.concurrency", "3")) {
            store.put(ArtifactKey.of("large.bin"), file);
            assertThat(store.stat(ArtifactKey.of("large.bin"))).map(ArtifactInfo::size).contains(Files.size(file));
            Path back = dir.resolve("back.bin");
            store.get(ArtifactKey.of("large.bin"), back);
            assertThat(Files.mismatch(file, back)).isEqualTo(-1L);
            assertThat(S3.openMultipartUploads(bucket)).isZero();
        }
    }

    @Test
    void aDownloadInParallelRangesWritesEveryByteWhateverTheConcurrency() throws IOException {
        String bucket = newBucket();
        Path file = dir.resolve("ranges.bin");
        try (InputStream in = new GeneratedStream(16L * 1024 * 1024 + 5, 9)) { // three full ranges and a 5-byte tail
            Files.copy(in, file);
        }
        for (String concurrency : List.of("1", "2", "8")) {
            try (ArtifactStore store = store(bucket, "multipart.concurrency", concurrency)) {
                store.put(ArtifactKey.of("ranges.bin"), file);
                Path back = dir.resolve("back-" + concurrency + "/ranges.bin");
                store.get(ArtifactKey.of("ranges.bin"), back);
                assertThat(Files.mismatch(file, back)).as("concurrency %s", concurrency).isEqualTo(-1L);
                try (Stream<Path> beside = Files.list(back.getParent())) {
                    assertThat(beside).as("no temporary file left").containsExactly(back);
                }
            }
        }
    }

    @Test
    void downloadsOfEmptyAndOfMissingObjectsBehaveLikePlainReads() throws IOException {
        String bucket = newBucket();
        try (ArtifactStore store = store(bucket)) {
            store.put(ArtifactKey.of("empty"), text(""), 0);
            Path target = Files.writeString(dir.resolve("empty.out"), "old content");
            store.get(ArtifactKey.of("empty"), target);
            assertThat(target).isEmptyFile();

            Path missing = dir.resolve("missing.out");
            assertThatThrownBy(() -> store.get(ArtifactKey.of("missing"), missing))
                    .isInstanceOf(ArtifactStoreException.class)
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.NOT_FOUND));
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left).containsExactly(target);
            }
        }
    }

    @Test
    void aStreamLongerThanItsDeclaredLengthIsRejected() {
        String bucket = newBucket();
        try (ArtifactStore store = store(bucket)) {
            assertThatThrownBy(() -> store.put(ArtifactKey.of("long.txt"), text("more than five"), 5))
                    .hasMessageContaining("more than its declared length of 5 bytes");
            assertThat(S3.objectKeys(bucket)).isEmpty();
        }
    }

    @Test
    void rangedReadsBeyondTheEndAreEmptyAndMissingKeysAreNotFound() throws IOException {
        String bucket = newBucket();
        try (ArtifactStore store = store(bucket)) {
            store.put(ArtifactKey.of("r.txt"), text("0123456789"), 10);
            RangedReads ranged = (RangedReads) store;
            try (InputStream in = ranged.open(ArtifactKey.of("r.txt"), 10, 5)) {
                assertThat(in.readAllBytes()).isEmpty();
            }
            try (InputStream in = ranged.open(ArtifactKey.of("r.txt"), 8, 100)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("89");
            }
            assertThatThrownBy(() -> ranged.open(ArtifactKey.of("nope.txt"), 0, 5))
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.NOT_FOUND));
        }
    }

    @Test
    void aWrongSecretIsAccessDeniedNamingTheStaticSource() {
        String bucket = newBucket();
        try (ArtifactStore store = store(bucket, "credentials.secretKey", "wrong-secret-key-value")) {
            assertThatThrownBy(() -> store.stat(ArtifactKey.of("x")))
                    .hasMessageContaining("with credentials from static")
                    .hasMessageNotContaining("wrong-secret-key-value")
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.ACCESS_DENIED));
        }
    }

    @Test
    void anUnreachableEndpointIsTransient() {
        StoreConfig config = TestStores.withStaticKeys(S3, "b").with("endpoint", "http://127.0.0.1:1")
                .with("retry.maxAttempts", "1").with("http.connectionTimeout", "1s");
        try (ArtifactStore store = TestStores.provider(Map.of()).create(config)) {
            assertThatThrownBy(() -> store.put(ArtifactKey.of("x"), text("x"), -1))
                    .hasMessageContaining("s3 store 'test' (bucket 'b' at http://127.0.0.1:1): cannot put 'x'")
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.TRANSIENT));
        }
    }

    @Test
    void serverSideEncryptionAndStorageClassHeadersAreAcceptedOnPuts() throws IOException {
        String bucket = newBucket();
        try (ArtifactStore store = store(bucket, "sse", "s3", "storageClass", "standard")) {
            store.put(ArtifactKey.of("enc.txt"), text("secret stuff"), -1);
            try (InputStream in = store.open(ArtifactKey.of("enc.txt"))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("secret stuff");
            }
            assertThat(store.describe().attributes()).containsEntry("encryption", "SSE-S3")
                    .containsEntry("storageClass", "STANDARD");
        }
    }

    @Test
    void argoFieldNamesAreAccepted() {
        Map<String, String> p = new HashMap<>(Map.of("bucket", "b", "endpoint", "127.0.0.1:9000", "insecure", "true",
                "roleARN", "arn:aws:iam::1:role/r", "useSDKCreds", "true",
                "encryptionOptions.enableEncryption", "true", "encryptionOptions.kmsKeyId", "alias/weft",
                "encryptionOptions.kmsEncryptionContext", "{\"team\":\"a\"}"));
        S3StoreSettings settings = S3StoreSettings.from(StoreConfig.of("argo", "s3", p), TestStores.env(Map.of()));
        assertThat(settings.endpoint()).hasValueSatisfying(u -> assertThat(u).hasToString("http://127.0.0.1:9000"));
        assertThat(settings.pathStyle()).isTrue();
        assertThat(settings.config().getString("roleArn")).contains("arn:aws:iam::1:role/r");
        assertThat(settings.encryption()).hasToString("SSE-KMS key alias/weft with context");

        p.remove("insecure");
        assertThat(S3StoreSettings.from(StoreConfig.of("argo", "s3", p), TestStores.env(Map.of())).endpoint())
                .hasValueSatisfying(u -> assertThat(u).hasToString("https://127.0.0.1:9000"));
        p.put("addressingStyle", "virtual");
        assertThat(S3StoreSettings.from(StoreConfig.of("argo", "s3", p), TestStores.env(Map.of())).pathStyle())
                .isFalse();
    }

    @Test
    void theRegionComesFromConfigThenTheEnvironment() {
        StoreConfig config = StoreConfig.of("r", "s3", Map.of("bucket", "b"));
        assertThat(S3StoreSettings.from(config, TestStores.env(Map.of("AWS_REGION", "eu-west-1"))).region().id())
                .isEqualTo("eu-west-1");
        assertThat(S3StoreSettings.from(config.with("region", "ap-south-1"),
                TestStores.env(Map.of("AWS_REGION", "eu-west-1"))).region().id()).isEqualTo("ap-south-1");
        assertThat(S3StoreSettings.from(config, TestStores.env(Map.of())).region().id()).isEqualTo("us-east-1");
        assertThat(S3StoreSettings.from(config, TestStores.env(Map.of())).pathStyle()).isFalse();
    }

    @Test
    void customerKeysAreRefusedOverPlainHttpAndMustBe32Bytes() throws IOException {
        Path key = Files.write(dir.resolve("sse-c.key"), new byte[32]);
        Map<String, String> p = new HashMap<>(Map.of("bucket", "b", "endpoint", "http://127.0.0.1:9000",
                "sse", "c", "sse.customerKeyFile", key.toString()));
        assertThatThrownBy(() -> S3StoreSettings.from(StoreConfig.of("c", "s3", p), TestStores.env(Map.of())))
                .hasMessageContaining("property 'sse' = c (SSE-C) is refused over plain http")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.INVALID_CONFIG));

        p.put("endpoint", "https://s3.example.com");
        assertThat(S3StoreSettings.from(StoreConfig.of("c", "s3", p), TestStores.env(Map.of())).encryption())
                .hasToString("SSE-C");
        Path base64 = Files.writeString(dir.resolve("b64.key"),
                java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        p.put("sse.customerKeyFile", base64.toString());
        assertThat(S3StoreSettings.from(StoreConfig.of("c", "s3", p), TestStores.env(Map.of())).encryption().mode())
                .isEqualTo(Encryption.Mode.CUSTOMER);
        Path shortKey = Files.writeString(dir.resolve("short.key"), "too-short-key-material");
        p.put("sse.customerKeyFile", shortKey.toString());
        assertThatThrownBy(() -> S3StoreSettings.from(StoreConfig.of("c", "s3", p), TestStores.env(Map.of())))
                .hasMessageContaining("must hold a 32-byte AES-256 key")
                .hasMessageNotContaining("too-short-key-material");
    }

    @Test
    void badValuesAreConfigErrorsNamingTheProperty() {
        Map<String, String> base = Map.of("bucket", "b");
        assertThatThrownBy(() -> S3StoreSettings.from(StoreConfig.of("x", "s3", Map.of()), TestStores.env(Map.of())))
                .hasMessageContaining("missing required property 'bucket'");
        assertThatThrownBy(() -> settingsWith(base, "multipart.partSize", "1MiB"))
                .hasMessageContaining("'multipart.partSize' = 1048576 must be between 5 MiB and 5 GiB");
        assertThatThrownBy(() -> settingsWith(base, "storageClass", "FROZEN"))
                .hasMessageContaining("property 'storageClass' = 'FROZEN' is not one of");
        assertThatThrownBy(() -> settingsWith(base, "addressingStyle", "sideways"))
                .hasMessageContaining("property 'addressingStyle' = 'sideways' is not one of auto, path, virtual");
        assertThatThrownBy(() -> settingsWith(Map.of("bucket", "b", "roleArn", "arn:a"), "roleARN", "arn:b"))
                .hasMessageContaining("'roleARN' and 'roleArn' are the same setting with different values");
        assertThatThrownBy(() -> settingsWith(base, "caFile", dir.resolve("missing.pem").toString()))
                .hasMessageContaining("property 'caFile' = " + dir.resolve("missing.pem") + " is not a readable file");
        assertThatThrownBy(() -> settingsWith(base, "multipart.concurrency", "0"))
                .hasMessageContaining("'multipart.concurrency' = 0 must be at least 1");
    }

    @Test
    void aCaFileThatIsNotPemIsAConfigError() throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        StoreConfig config = TestStores.withStaticKeys(S3, "b").with("caFile", notPem.toString());
        assertThatThrownBy(() -> TestStores.provider(Map.of()).create(config))
                .hasMessageContaining("property 'caFile' = " + notPem)
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.INVALID_CONFIG));
    }

    @Test
    void theProviderDiagnosesTheChainWithoutTouchingTheStore() {
        S3ArtifactStoreProvider provider = TestStores.provider(Map.of());
        var report = provider.diagnoseCredentials(TestStores.withStaticKeys(S3, "b"));
        assertThat(report.chosenSource()).isEqualTo("static");
        assertThat(report.toString()).doesNotContain(S3.secretKey());
        assertThat(provider.type()).isEqualTo("s3");
    }

    @Test
    void webIdentityCredentialsFromStsReachS3() throws IOException {
        String bucket = newBucket();
        Path token = Files.writeString(dir.resolve("irsa-token"), "irsa-jwt\n");
        try (StsStandIn sts = StsStandIn.start()) {
            sts.credentials(S3.accessKey(), S3.secretKey(), "irsa-session-token");
            Map<String, String> env = Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                    "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa");
            StoreConfig config = StoreConfig.of("irsa", "s3", TestStores.properties(S3, bucket))
                    .with("sts.endpoint", sts.endpoint().toString());
            try (ArtifactStore store = TestStores.provider(env).create(config)) {
                store.put(ArtifactKey.of("irsa.txt"), text("via web identity"), -1);
                assertThat(S3.objectKeys(bucket)).containsExactly("irsa.txt");
                assertThat(store.describe().credentials().chosenSource()).isEqualTo("web-identity");
            }
            assertThat(sts.requests()).singleElement().satisfies(r -> assertThat(r)
                    .containsEntry("Action", "AssumeRoleWithWebIdentity").containsEntry("WebIdentityToken", "irsa-jwt"));
        }
    }

    @Test
    void argosRoleArnIsAssumedOnTopOfTheChainsCredentials() throws IOException {
        String bucket = newBucket();
        try (StsStandIn sts = StsStandIn.start()) {
            sts.credentials(S3.accessKey(), S3.secretKey(), "role-session-token");
            StoreConfig config = StoreConfig.of("role", "s3", TestStores.properties(S3, bucket))
                    .with("roleARN", "arn:aws:iam::123456789012:role/artifacts")
                    .with("sts.endpoint", sts.endpoint().toString());
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIDBASEONLY", "AWS_SECRET_ACCESS_KEY", "base");
            try (ArtifactStore store = TestStores.provider(env).create(config)) {
                store.put(ArtifactKey.of("role.txt"), text("via assumed role"), -1);
                assertThat(S3.objectKeys(bucket)).containsExactly("role.txt");
                assertThat(store.describe().attributes()).containsEntry("credentials",
                        "assume-role arn:aws:iam::123456789012:role/artifacts via environment");
            }
            assertThat(sts.calls("AssumeRole")).isEqualTo(1);
            assertThat(sts.authorizations().get(0)).contains("Credential=AKIDBASEONLY/");
        }
    }

    private S3StoreSettings settingsWith(Map<String, String> base, String key, String value) {
        Map<String, String> p = new HashMap<>(base);
        p.put(key, value);
        return S3StoreSettings.from(StoreConfig.of("x", "s3", p), TestStores.env(Map.of()));
    }

    /** Gives {@code limit} bytes, then fails like a broken disk. */
    private static final class FailAfter extends FilterInputStream {
        private long remaining;

        FailAfter(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                throw new IOException("disk on fire");
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
