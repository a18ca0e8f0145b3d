package dev.weft.storage.minio.credentials;

import io.minio.credentials.Credentials;
import io.minio.credentials.Provider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Caches one source's credentials and renews them before they expire, so that no request is signed with expired
 * credentials and the source (an agent, STS) is called about once per credential lifetime, not per request.
 *
 * <p>minio-java's providers cache until Expiration − 10 s and then refresh inside the request that noticed, with no
 * prefetch. Here, with L the lifetime of the credentials in hand:
 * <ul>
 *   <li>before {@code Expiration − min(5 min, 15% of L)}: the cached credentials are returned;</li>
 *   <li>from then until the stale point (the prefetch window): the first caller refreshes while every other caller
 *       keeps using the cached credentials; a failed prefetch is retried at most every {@code min(30 s, L/10)} and
 *       does not fail the caller;</li>
 *   <li>from {@code Expiration − 5% of L} (at most 1 minute, at least {@code min(2 s, L/4)} so that a refresh and a
 *       request still fit before expiry with tiny lifetimes) the credentials are stale: callers wait for one
 *       refresh, which must succeed.</li>
 * </ul>
 * Refreshing this late keeps source calls near one per lifetime (a refresh at half-life made it two); the stale
 * margin, not the prefetch point, is what keeps requests from being signed with credentials about to expire.
 * Credentials without an expiration are cached for good.
 */
public final class RefreshingProvider implements Provider {

    private static final Duration MAX_PREFETCH = Duration.ofMinutes(5);
    private static final Duration MAX_STALE = Duration.ofMinutes(1);
    private static final Duration MIN_STALE = Duration.ofSeconds(2);
    private static final Duration MAX_PREFETCH_RETRY = Duration.ofSeconds(30);

    private final String source;
    private final FreshCredentials fresh;
    private final Clock clock;
    private final ReentrantLock refreshing = new ReentrantLock();
    private final AtomicLong fetches = new AtomicLong();
    private volatile Snapshot current;

    /**
     * @param source the chain step's name, for messages
     * @param fresh  fetches new credentials on every call
     * @param clock  the time source
     */
    public RefreshingProvider(String source, FreshCredentials fresh, Clock clock) {
        this.source = source;
        this.fresh = fresh;
        this.clock = clock;
    }

    /** The chain step these credentials come from. */
    public String source() {
        return source;
    }

    /** How many times the source was asked for credentials (successful or not). */
    public long fetchCount() {
        return fetches.get();
    }

    /** When the cached credentials expire, or null when there are none or they never expire. */
    public Instant expiration() {
        Snapshot s = current;
        return s == null ? null : s.expiration;
    }

    @Override
    public Credentials fetch() {
        Snapshot s = current;
        Instant now = clock.instant();
        if (s != null && now.isBefore(s.prefetchAt)) {
            return s.credentials;
        }
        if (s != null && now.isBefore(s.staleAt)) {
            if (now.isAfter(s.nextPrefetchTry) && refreshing.tryLock()) {
                try {
                    if (current == s) {
                        prefetch(s, now);
                    }
                } finally {
                    refreshing.unlock();
                }
            }
            return current.credentials;
        }
        refreshing.lock();
        try {
            Snapshot latest = current;
            if (latest != null && latest != s && clock.instant().isBefore(latest.staleAt)) {
                return latest.credentials;
            }
            current = load();
            return current.credentials;
        } finally {
            refreshing.unlock();
        }
    }

    private void prefetch(Snapshot s, Instant now) {
        try {
            current = load();
        } catch (CredentialFetchException e) {
            // The cached credentials are still good until staleAt; try again a little later.
            Duration lifetime = s.lifetime;
            Duration wait = min(MAX_PREFETCH_RETRY, lifetime.dividedBy(10));
            current = s.retryAfter(now.plus(wait));
        }
    }

    private Snapshot load() {
        fetches.incrementAndGet();
        Credentials credentials = fresh.fetch();
        Instant now = clock.instant();
        ZonedDateTime expiration = credentials.expiration();
        if (expiration == null) {
            return new Snapshot(credentials, null, Duration.ZERO, Instant.MAX, Instant.MAX, Instant.MIN);
        }
        Instant expires = expiration.toInstant();
        Duration lifetime = Duration.between(now, expires);
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new CredentialFetchException(source + " returned credentials that already expired at " + expires,
                    true, null);
        }
        Duration staleBefore = staleMargin(lifetime);
        Instant prefetchAt = expires.minus(prefetchMargin(lifetime, staleBefore));
        Instant staleAt = expires.minus(staleBefore);
        return new Snapshot(credentials, expires, lifetime, prefetchAt, staleAt, Instant.MIN);
    }

    /** How long before expiry callers wait for a refresh: 5% of the lifetime, within [min(2 s, L/4), 1 min]. */
    static Duration staleMargin(Duration lifetime) {
        Duration floor = min(MIN_STALE, lifetime.dividedBy(4));
        return min(MAX_STALE, max(floor, lifetime.dividedBy(20)));
    }

    /** How long before expiry the prefetch window opens: 15% of the lifetime, at most 5 minutes, never after stale. */
    static Duration prefetchMargin(Duration lifetime, Duration staleMargin) {
        return max(staleMargin, min(MAX_PREFETCH, lifetime.multipliedBy(15).dividedBy(100)));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private record Snapshot(Credentials credentials, Instant expiration, Duration lifetime, Instant prefetchAt,
                            Instant staleAt, Instant nextPrefetchTry) {
        Snapshot retryAfter(Instant when) {
            return new Snapshot(credentials, expiration, lifetime, prefetchAt, staleAt, when);
        }
    }

    @Override
    public String toString() {
        return "RefreshingProvider[" + source + ", expires " + (current == null ? "-" : current.expiration) + "]";
    }
}
