package dev.weft.storage.minio.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.Time;
import io.minio.credentials.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Refresh-ahead caching, driven by a hand-moved clock. */
class RefreshingProviderTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void cachedCredentialsAreReusedUntilTheLastFiveMinutesOfAnHour() {
        CountingSource source = new CountingSource(Duration.ofHours(1));
        RefreshingProvider provider = new RefreshingProvider("test", source, clock);

        Credentials first = provider.fetch();
        clock.advance(Duration.ofMinutes(54));
        assertThat(provider.fetch()).isSameAs(first);
        assertThat(source.calls.get()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2)); // 56 min: inside the 5-minute prefetch window
        assertThat(provider.fetch()).isNotSameAs(first);
        assertThat(source.calls.get()).isEqualTo(2);
    }

    @Test
    void aThousandCallsAcrossManyShortLifetimesNeverGetExpiredCredentials() {
        Duration lifetime = Duration.ofSeconds(4);
        CountingSource source = new CountingSource(lifetime);
        RefreshingProvider provider = new RefreshingProvider("test", source, clock);

        for (int i = 0; i < 1000; i++) {
            Credentials c = provider.fetch();
            assertThat(c.expiration().toInstant()).as("call %d", i).isAfter(clock.instant());
            clock.advance(Duration.ofMillis(40)); // 1000 calls span 40 s = 10 lifetimes
        }
        // About one fetch per lifetime: with 4-s credentials the refresh comes when the 1-s floor of the stale
        // margin is left, every 3 s over 40 s, plus the first.
        assertThat(source.calls.get()).isBetween(13, 15);
    }

    @Test
    void aFailedPrefetchKeepsTheCachedCredentialsAndIsRetriedLater() {
        CountingSource source = new CountingSource(Duration.ofMinutes(60));
        RefreshingProvider provider = new RefreshingProvider("test", source, clock);
        Credentials first = provider.fetch();

        source.failNext(new CredentialFetchException("agent answered 500: busy", true, null));
        clock.advance(Duration.ofMinutes(56)); // prefetch window (55 to 59 min)
        assertThat(provider.fetch()).isSameAs(first);
        assertThat(provider.fetch()).isSameAs(first); // no new attempt right away
        assertThat(source.calls.get()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(31)); // after the retry pause: a new attempt, which succeeds
        assertThat(provider.fetch()).isNotSameAs(first);
        assertThat(source.calls.get()).isEqualTo(3);
    }

    @Test
    void staleCredentialsAreNeverReturnedWhenTheRefreshFails() {
        CountingSource source = new CountingSource(Duration.ofMinutes(60));
        RefreshingProvider provider = new RefreshingProvider("test", source, clock);
        provider.fetch();

        source.failNext(new CredentialFetchException("agent answered 403: denied", false, null));
        clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // past Expiration - 1 min
        assertThatThrownBy(provider::fetch).isInstanceOf(CredentialFetchException.class)
                .hasMessage("agent answered 403: denied");
    }

    @Test
    void twentySecondCredentialsAreRefreshedWhenFifteenPercentIsLeft() {
        CountingSource source = new CountingSource(Duration.ofSeconds(20));
        RefreshingProvider provider = new RefreshingProvider("test", source, clock);
        Credentials first = provider.fetch();

        clock.advance(Duration.ofMillis(16_900));
        assertThat(provider.fetch()).isSameAs(first);
        clock.advance(Duration.ofMillis(100)); // 3 s left: the prefetch window opens
        assertThat(provider.fetch()).isNotSameAs(first);
        assertThat(source.calls.get()).isEqualTo(2);
    }

    @Test
    void refreshMarginsFollowTheLifetimeWithinTheirBounds() {
        assertThat(RefreshingProvider.staleMargin(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(1));
        assertThat(RefreshingProvider.staleMargin(Duration.ofMinutes(15))).isEqualTo(Duration.ofSeconds(45));
        assertThat(RefreshingProvider.staleMargin(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(2));
        assertThat(RefreshingProvider.staleMargin(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(1));
        assertThat(RefreshingProvider.prefetchMargin(Duration.ofHours(1), Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(RefreshingProvider.prefetchMargin(Duration.ofSeconds(20), Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(RefreshingProvider.prefetchMargin(Duration.ofSeconds(4), Duration.ofSeconds(1)))
                .as("never after the stale point").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void credentialsWithoutExpirationAreFetchedOnce() {
        AtomicInteger calls = new AtomicInteger();
        RefreshingProvider provider = new RefreshingProvider("static", () -> {
            calls.incrementAndGet();
            return new Credentials("ak", "sk", null, null);
        }, clock);
        provider.fetch();
        clock.advance(Duration.ofDays(400));
        provider.fetch();
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void retriesStopAtTheLimitAndSayHowManyAttemptsWereMade() {
        AtomicInteger calls = new AtomicInteger();
        RetryingFetcher fetcher = new RetryingFetcher(() -> {
            calls.incrementAndGet();
            throw new CredentialFetchException("agent answered 429: slow down", true, null);
        }, 2);
        assertThatThrownBy(fetcher::fetch).hasMessage("agent answered 429: slow down (after 3 attempts)");
        assertThat(calls.get()).isEqualTo(3);

        AtomicInteger permanent = new AtomicInteger();
        RetryingFetcher once = new RetryingFetcher(() -> {
            permanent.incrementAndGet();
            throw CredentialFetchException.permanent("token file missing");
        }, 5);
        assertThatThrownBy(once::fetch).hasMessage("token file missing");
        assertThat(permanent.get()).isEqualTo(1);
    }

    /** Hands out credentials living {@code lifetime} from the clock's now; can be told to fail. */
    private final class CountingSource implements FreshCredentials {
        final AtomicInteger calls = new AtomicInteger();
        private final Duration lifetime;
        private final Deque<CredentialFetchException> failures = new ArrayDeque<>();

        CountingSource(Duration lifetime) {
            this.lifetime = lifetime;
        }

        void failNext(CredentialFetchException e) {
            failures.add(e);
        }

        @Override
        public Credentials fetch() {
            int n = calls.incrementAndGet();
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
            return new Credentials("AK" + n, "secret-" + n, "token-" + n,
                    new Time.S3Time(clock.instant().plus(lifetime).atZone(ZoneOffset.UTC)));
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
