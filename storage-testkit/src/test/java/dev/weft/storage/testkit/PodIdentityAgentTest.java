package dev.weft.storage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodIdentityAgentTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (token != null) {
            request.header("Authorization", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void handsOutCredentialsToTheTokenInTheFileAndRereadsItEachTime() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "first-token\n");
        try (PodIdentityAgent agent = PodIdentityAgent.start(tokenFile, "AKID", "SECRET")) {
            HttpResponse<String> ok = get(agent.uri(), "first-token");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"AccessKeyId\":\"AKID\"", "\"SecretAccessKey\":\"SECRET\"", "Expiration");

            Files.writeString(tokenFile, "second-token");
            assertThat(get(agent.uri(), "first-token").statusCode()).isEqualTo(400);
            assertThat(get(agent.uri(), "second-token").statusCode()).isEqualTo(200);
            assertThat(agent.calls()).isEqualTo(3);
            assertThat(agent.tokensSeen()).containsExactly("first-token", "first-token", "second-token");
        }
    }

    @Test
    void queuedFaultsAreAnsweredAsPlainTextThenServiceResumes() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "t");
        try (PodIdentityAgent agent = PodIdentityAgent.start(tokenFile, "AKID", "SECRET")) {
            agent.failNext(1, 403, "Access Denied");
            HttpResponse<String> denied = get(agent.uri(), "t");
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo("Access Denied");
            assertThat(get(agent.uri(), "t").statusCode()).isEqualTo(200);
            assertThat(get(agent.uri(), null).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void throttledAnswersCarryRetryAfterAndAreCountedAsFaults() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "t");
        try (PodIdentityAgent agent = PodIdentityAgent.start(tokenFile, "AKID", "SECRET")) {
            agent.throttleNext(2, "3");
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> throttled = get(agent.uri(), "t");
                assertThat(throttled.statusCode()).isEqualTo(429);
                assertThat(throttled.headers().firstValue("Retry-After")).contains("3");
            }
            HttpResponse<String> ok = get(agent.uri(), "t");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Retry-After")).isEmpty();
            assertThat(agent.calls()).isEqualTo(3);
            assertThat(agent.faultsServed()).isEqualTo(2);
        }
    }

    @Test
    void flakyModeIsReproducibleForOneSeedAndMixesFaultsWithGoodAnswers() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "t");
        List<String> first = flakyRun(tokenFile, 42L);
        assertThat(flakyRun(tokenFile, 42L)).isEqualTo(first);
        assertThat(first).contains("200-ok", "500", "429-retry-after-1", "200-garbage");
    }

    private List<String> flakyRun(Path tokenFile, long seed) throws Exception {
        List<String> outcomes = new ArrayList<>();
        try (PodIdentityAgent agent = PodIdentityAgent.start(tokenFile, "AKID", "SECRET")) {
            agent.flaky(seed, 0.5, Duration.ZERO);
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> r = get(agent.uri(), "t");
                if (r.statusCode() == 429) {
                    outcomes.add("429-retry-after-" + r.headers().firstValue("Retry-After").orElse("none"));
                } else if (r.statusCode() == 200) {
                    outcomes.add(r.body().contains("Expiration") ? "200-ok" : "200-garbage");
                } else {
                    outcomes.add(String.valueOf(r.statusCode()));
                }
            }
        }
        return outcomes;
    }

    @Test
    void expiredModeHandsOutCredentialsWhoseExpirationIsInThePast() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "t");
        try (PodIdentityAgent agent = PodIdentityAgent.start(tokenFile, "AKID", "SECRET")) {
            agent.expired(Duration.ofMinutes(5));
            String body = get(agent.uri(), "t").body();
            String expiration = body.replaceAll(".*\"Expiration\":\"([^\"]+)\".*", "$1");
            assertThat(Instant.parse(expiration)).isBefore(Instant.now());
        }
    }

    @Test
    void expirationIsRfc3339WithTheRequestedFractionalDigits() {
        Instant instant = Instant.parse("2026-11-28T10:15:30.123456789Z");
        assertThat(PodIdentityAgent.rfc3339(instant, 0)).isEqualTo("2026-11-28T10:15:30Z");
        assertThat(PodIdentityAgent.rfc3339(instant, 3)).isEqualTo("2026-11-28T10:15:30.123Z");
        assertThat(PodIdentityAgent.rfc3339(instant, 9)).isEqualTo("2026-11-28T10:15:30.123456789Z");
    }
}
