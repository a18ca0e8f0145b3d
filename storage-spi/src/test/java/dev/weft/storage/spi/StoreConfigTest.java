package dev.weft.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoreConfigTest {

    private static StoreConfig config(Map<String, String> properties) {
        return StoreConfig.of("default", "S3", properties);
    }

    @Test
    void typedGettersParseValuesAndFallBackToDefaults() {
        StoreConfig c = config(Map.of("pathStyle", "yes", "maxRetries", "5", "partSize", "16MiB",
                "timeout", "1m30s", "endpoint", "http://127.0.0.1:9000", "chain", "[static, pod-identity]"));
        assertThat(c.type()).isEqualTo("s3");
        assertThat(c.getBoolean("pathStyle", false)).isTrue();
        assertThat(c.getBoolean("insecure", false)).isFalse();
        assertThat(c.getInt("maxRetries", 3)).isEqualTo(5);
        assertThat(c.getSize("partSize", 0)).isEqualTo(16L * 1024 * 1024);
        assertThat(c.getDuration("timeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.getUri("endpoint")).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(c.getList("chain")).containsExactly("static", "pod-identity");
        assertThat(c.getString("missing")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "2h,7200000", "PT30S,30000", "45,45000", "1m30s,90000", "1.5s,1500"})
    void durationsAcceptGoIsoAndPlainSeconds(String value, long millis) {
        assertThat(config(Map.of("t", value)).getDuration("t", Duration.ZERO).toMillis()).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"8388608,8388608", "512k,524288", "64MB,67108864", "1GiB,1073741824"})
    void sizesAcceptUnits(String value, long bytes) {
        assertThat(config(Map.of("s", value)).getSize("s", 0)).isEqualTo(bytes);
    }

    @Test
    void malformedValuesNameTheStoreThePropertyAndTheValue() {
        StoreConfig c = config(Map.of("pathStyle", "maybe", "partSize", "huge", "timeout", "soon", "endpoint", "nohost"));
        assertThatThrownBy(() -> c.getBoolean("pathStyle", false))
                .isInstanceOfSatisfying(ArtifactStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(ArtifactStoreException.Kind.INVALID_CONFIG))
                .hasMessage("store 'default' (type s3): property 'pathStyle' = 'maybe' is not a boolean (true or false)");
        assertThatThrownBy(() -> c.getSize("partSize", 0)).hasMessageContaining("'partSize' = 'huge'");
        assertThatThrownBy(() -> c.getDuration("timeout", null)).hasMessageContaining("'timeout' = 'soon'");
        assertThatThrownBy(() -> c.getUri("endpoint")).hasMessageContaining("absolute URI");
        assertThatThrownBy(() -> c.requireString("bucket")).hasMessageContaining("missing required property 'bucket'");
        assertThatThrownBy(() -> c.getChoice("pathStyle", "x", "on", "off")).hasMessageContaining("one of on, off");
    }

    @Test
    void secretsAreRedactedInToStringAndErrors() {
        StoreConfig c = config(Map.of(
                "credentials.secretKey", "s3cr3t-value",
                "credentials.accessKey", "AKIAEXAMPLE",
                "credentials.sessionToken", "tok-value",
                "credentials.secretKeyFile", "/var/run/secret",
                "sse.customerKey", "ck-value",
                "bucket", "b"));
        String text = c.toString();
        assertThat(text).doesNotContain("s3cr3t-value", "AKIAEXAMPLE", "tok-value", "ck-value")
                .contains("credentials.secretKey=****", "credentials.secretKeyFile=/var/run/secret", "bucket=b");
        assertThatThrownBy(() -> c.getInt("credentials.secretKey", 0))
                .hasMessageContaining("= ****")
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void secretPropertyNamesAreRecognisedButReferencesAreNot() {
        assertThat(List.of("secretKey", "credentials.password", "token", "sessionToken", "accessKey",
                "sse.customerKey", "MINIO_ROOT_PASSWORD"))
                .allMatch(StoreConfig::isSecretProperty);
        assertThat(List.of("bucket", "credentials.tokenFile", "credentials.secretKeyEnv", "roleArn", "endpoint",
                "credentials.chain"))
                .noneMatch(StoreConfig::isSecretProperty);
    }

    @Test
    void aliasesMapToCanonicalNamesAndConflictsAreRejected() {
        StoreConfig c = config(Map.of("roleARN", "arn:aws:iam::1:role/r")).withAliases(Map.of("roleARN", "roleArn"));
        assertThat(c.getString("roleArn")).contains("arn:aws:iam::1:role/r");
        assertThat(c.has("roleARN")).isFalse();
        assertThatThrownBy(() -> config(Map.of("roleARN", "a", "roleArn", "b")).withAliases(Map.of("roleARN", "roleArn")))
                .hasMessageContaining("'roleARN' and 'roleArn' are the same setting");
    }

    @Test
    void subsetStripsThePrefix() {
        StoreConfig c = config(Map.of("credentials.chain", "static", "credentials.accessKeyEnv", "MY_KEY", "bucket", "b"));
        assertThat(c.subset("credentials").properties())
                .containsOnlyKeys("chain", "accessKeyEnv");
    }
}
