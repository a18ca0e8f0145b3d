package dev.weft.storage.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** The refresh-ahead cache: when it calls its source, and that callers never see a refresh fail early. */
class RefreshingCredentialsProviderTest {

    private final MutableClock clock = new MutableClock();
    private final AtomicInteger fetches = new AtomicInteger();

    /** Credentials living one hour from the (test) clock's now, numbered by fetch. */
    private AwsCredentials fetch() {
        int n = fetches.incrementAndGet();
        return AwsSessionCredentials.builder().accessKeyId("AKID" + n).secretAccessKey("s").sessionToken("t")
                .expirationTime(clock.instant().plus(Duration.ofHours(1))).build();
    }

    @Test
    void credentialsAreReusedUntilTheRefreshPoint() {
        try (var cache = new RefreshingCredentialsProvider("test", this::fetch, clock)) {
            for (int i = 0; i < 100; i++) {
                assertThat(cache.resolveCredentials().accessKeyId()).isEqualTo("AKID1");
                clock.advance(Duration.ofSeconds(10)); // 1000 s in all: before the prefetch point (55 min)
            }
            assertThat(fetches.get()).isEqualTo(1);
        }
    }

    @Test
    void pastThePrefetchPointOneBackgroundRefreshRunsWhileCallersKeepTheCurrentCredentials() throws Exception {
        try (var cache = new RefreshingCredentialsProvider("test", this::fetch, clock)) {
            cache.resolveCredentials();
            clock.advance(Duration.ofMinutes(54));
            cache.resolveCredentials();
            assertThat(fetches.get()).as("no refresh with 6 minutes left").isEqualTo(1);
            clock.advance(Duration.ofMinutes(2)); // past prefetch (expiry - 5 min), before stale (expiry - 1 min)
            for (int i = 0; i < 20; i++) {
                assertThat(cache.resolveCredentials().accessKeyId()).isIn("AKID1", "AKID2");
            }
            waitFor(() -> cache.resolveCredentials().accessKeyId().equals("AKID2"));
            assertThat(fetches.get()).isEqualTo(2);
        }
    }

    @Test
    void pastTheStalePointCallersWaitForFreshCredentials() {
        try (var cache = new RefreshingCredentialsProvider("test", this::fetch, clock)) {
            cache.resolveCredentials();
            clock.advance(Duration.ofMinutes(59).plusSeconds(30));
            assertThat(cache.resolveCredentials().accessKeyId()).isEqualTo("AKID2");
            assertThat(cache.expiration()).contains(clock.instant().plus(Duration.ofHours(1)));
        }
    }

    @Test
    void concurrentCallersAtTheStalePointCauseOneFetch() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (var cache = new RefreshingCredentialsProvider("test", () -> {
            AwsCredentials c = fetch();
            sleep(200); // a slow agent: every waiting caller must share this one fetch
            return c;
        }, clock)) {
            cache.resolveCredentials();
            clock.advance(Duration.ofMinutes(60).plusSeconds(1)); // expired
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return cache.resolveCredentials().accessKeyId();
                    }));
                }
                go.countDown();
                for (Future<String> result : results) {
                    assertThat(result.get()).isEqualTo("AKID2");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(fetches.get()).isEqualTo(2);
        }
    }

    @Test
    void shortLivedCredentialsAreRefreshedRelativeToTheirLifetime() throws Exception {
        try (var cache = new RefreshingCredentialsProvider("test", () -> {
            fetches.incrementAndGet();
            return AwsSessionCredentials.builder().accessKeyId("AKID" + fetches.get()).secretAccessKey("s")
                    .sessionToken("t").expirationTime(clock.instant().plusSeconds(20)).build();
        }, clock)) {
            cache.resolveCredentials();
            clock.advance(Duration.ofSeconds(16)); // 4 s (20%) left: no refresh yet
            cache.resolveCredentials();
            assertThat(fetches.get()).isEqualTo(1);
            clock.advance(Duration.ofMillis(1500)); // 2.5 s (12.5%) left: a background refresh, no waiting
            assertThat(cache.resolveCredentials().accessKeyId()).isIn("AKID1", "AKID2");
            waitFor(() -> fetches.get() == 2 && cache.resolveCredentials().accessKeyId().equals("AKID2"));
        }
    }

    @Test
    void tinyLifetimesKeepASafeMarginBeforeExpiry() {
        try (var cache = new RefreshingCredentialsProvider("test", () -> {
            fetches.incrementAndGet();
            return AwsSessionCredentials.builder().accessKeyId("AKID" + fetches.get()).secretAccessKey("s")
                    .sessionToken("t").expirationTime(clock.instant().plusSeconds(4)).build();
        }, clock)) {
            cache.resolveCredentials();
            clock.advance(Duration.ofMillis(2900));
            cache.resolveCredentials();
            assertThat(fetches.get()).isEqualTo(1);
            // 5% of 4 s would leave 0.2 s; the floor (a quarter of the lifetime here) makes callers wait 1 s early.
            clock.advance(Duration.ofMillis(100));
            assertThat(cache.resolveCredentials().accessKeyId()).isEqualTo("AKID2");
        }
    }

    @Test
    void refreshMarginsFollowTheLifetimeWithinTheirBounds() {
        assertThat(RefreshingCredentialsProvider.staleMargin(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(1));
        assertThat(RefreshingCredentialsProvider.staleMargin(Duration.ofMinutes(15))).isEqualTo(Duration.ofSeconds(45));
        assertThat(RefreshingCredentialsProvider.staleMargin(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(2));
        assertThat(RefreshingCredentialsProvider.staleMargin(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(1));
        assertThat(RefreshingCredentialsProvider.prefetchMargin(Duration.ofHours(1), Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(RefreshingCredentialsProvider.prefetchMargin(Duration.ofSeconds(20), Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(RefreshingCredentialsProvider.prefetchMargin(Duration.ofSeconds(4), Duration.ofSeconds(1)))
                .as("never after the stale point").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void threeLifetimesOfTwentySecondCredentialsCostAboutOneFetchEach() throws Exception {
        try (var cache = new RefreshingCredentialsProvider("test", () -> {
            fetches.incrementAndGet();
            return AwsSessionCredentials.builder().accessKeyId("AKID" + fetches.get()).secretAccessKey("s")
                    .sessionToken("t").expirationTime(clock.instant().plusSeconds(20)).build();
        }, clock)) {
            Instant end = clock.instant().plusSeconds(60);
            while (clock.instant().isBefore(end)) { // a call every 100 ms for 60 s
                Instant expiry = cache.expiration().orElse(null);
                assertThat(cache.resolveCredentials().expirationTime()).get().matches(clock.instant()::isBefore);
                if (expiry != null && !clock.instant().isBefore(expiry.minusSeconds(3))) {
                    // Inside the prefetch window a background refresh started: let it land before time moves on.
                    waitFor(() -> !cache.expiration().get().equals(expiry));
                }
                clock.advance(Duration.ofMillis(100));
            }
            // Refreshes when 15% of the lifetime is left: every 17 s, so the first fetch plus three.
            assertThat(fetches.get()).isEqualTo(4);
        }
    }

    @Test
    void credentialsWithoutExpiryAreFetchedOnce() {
        try (var cache = new RefreshingCredentialsProvider("test", () -> {
            fetches.incrementAndGet();
            return software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDSTATIC", "s");
        }, clock)) {
            cache.resolveCredentials();
            clock.advance(Duration.ofDays(365));
            cache.resolveCredentials();
            assertThat(fetches.get()).isEqualTo(1);
            assertThat(cache.expiration()).isEmpty();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition not reached in 30 s").isBefore(deadline);
            Thread.sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
