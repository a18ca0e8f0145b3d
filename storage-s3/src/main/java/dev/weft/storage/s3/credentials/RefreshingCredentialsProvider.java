package dev.weft.storage.s3.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Caches expiring credentials and refreshes them ahead of expiry, so that the source (a Pod Identity agent, STS) is
 * called about once per credential lifetime, never per request.
 *
 * <p>Timing is relative to each credential's lifetime L so that it works both for hour-long credentials and for the
 * few-second ones tests use:
 * <ul>
 *   <li>until the <em>prefetch</em> point, {@code min(5 min, 15% of L)} before expiry, the cached credentials are
 *       returned;</li>
 *   <li>from there to the <em>stale</em> point a caller triggers one background refresh and keeps using the current
 *       credentials;</li>
 *   <li>from the stale point, {@code 5% of L} before expiry (at most 1 minute, and at least {@code min(2 s, L/4)} so
 *       that a refresh and a request still fit before expiry with tiny lifetimes), callers wait for a refresh.</li>
 * </ul>
 * Refreshing this late keeps agent calls near one per lifetime (a refresh at half-life made it two); the stale
 * margin, not the prefetch point, is what keeps requests from being signed with credentials about to expire. A
 * failed refresh never fails a caller while the current credentials are still valid: it is logged and retried by
 * the next caller.
 */
public final class RefreshingCredentialsProvider implements AwsCredentialsProvider, SdkAutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshingCredentialsProvider.class);
    private static final Duration MAX_PREFETCH = Duration.ofMinutes(5);
    private static final Duration MAX_STALE = Duration.ofMinutes(1);
    private static final Duration MIN_STALE = Duration.ofSeconds(2);

    private final String source;
    private final Supplier<AwsCredentials> fetcher;
    private final Clock clock;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private final AtomicBoolean prefetching = new AtomicBoolean();
    private final Object executorLock = new Object();
    private volatile Snapshot current;
    private ExecutorService executor;
    private boolean closed;

    /**
     * A cache over {@code fetcher}.
     *
     * @param source  the credential source's name, for logs ("pod-identity")
     * @param fetcher fetches fresh credentials; throws with a secret-free message on failure
     * @param clock   the time source
     */
    public RefreshingCredentialsProvider(String source, Supplier<AwsCredentials> fetcher, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AwsCredentials resolveCredentials() {
        Snapshot snapshot = current;
        Instant now = clock.instant();
        if (snapshot == null || !now.isBefore(snapshot.staleAt)) {
            return refreshNow(snapshot).credentials;
        }
        if (!now.isBefore(snapshot.prefetchAt)) {
            prefetchInBackground();
        }
        return snapshot.credentials;
    }

    /** When the cached credentials expire, if any are cached and they expire. */
    public Optional<Instant> expiration() {
        Snapshot snapshot = current;
        return snapshot == null ? Optional.empty() : Optional.ofNullable(snapshot.expiration);
    }

    private Snapshot refreshNow(Snapshot seen) {
        refreshLock.lock();
        try {
            Snapshot latest = current;
            if (latest != seen && latest != null && clock.instant().isBefore(latest.staleAt)) {
                return latest; // another caller refreshed while this one waited
            }
            try {
                Snapshot fresh = fetch();
                current = fresh;
                return fresh;
            } catch (RuntimeException e) {
                if (latest != null && latest.stillValid(clock.instant())) {
                    LOG.warn("{}: refreshing credentials failed, using the current ones until {}: {}",
                            source, latest.expiration, e.getMessage());
                    return latest;
                }
                throw e;
            }
        } finally {
            refreshLock.unlock();
        }
    }

    private void prefetchInBackground() {
        if (!prefetching.compareAndSet(false, true)) {
            return;
        }
        ExecutorService exec = executor();
        if (exec == null) {
            prefetching.set(false);
            return;
        }
        exec.execute(() -> {
            try {
                if (refreshLock.tryLock()) {
                    try {
                        current = fetch();
                    } finally {
                        refreshLock.unlock();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: refreshing credentials ahead of expiry failed (will retry): {}", source, e.getMessage());
            } finally {
                prefetching.set(false);
            }
        });
    }

    private ExecutorService executor() {
        synchronized (executorLock) {
            if (closed) {
                return null;
            }
            if (executor == null) {
                executor = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "weft-credentials-refresh-" + source);
                    t.setDaemon(true);
                    return t;
                });
            }
            return executor;
        }
    }

    private Snapshot fetch() {
        Instant fetchedAt = clock.instant();
        AwsCredentials credentials = fetcher.get();
        Instant expiration = credentials.expirationTime().orElse(null);
        if (expiration == null) {
            return new Snapshot(credentials, null, Instant.MAX, Instant.MAX);
        }
        Duration lifetime = Duration.between(fetchedAt, expiration);
        if (lifetime.isNegative()) {
            lifetime = Duration.ZERO;
        }
        Duration staleBefore = staleMargin(lifetime);
        Duration prefetchBefore = prefetchMargin(lifetime, staleBefore);
        LOG.debug("{}: fetched credentials expiring at {}", source, expiration);
        return new Snapshot(credentials, expiration, expiration.minus(prefetchBefore), expiration.minus(staleBefore));
    }

    /** How long before expiry callers wait for a refresh: 5% of the lifetime, within [min(2 s, L/4), 1 min]. */
    static Duration staleMargin(Duration lifetime) {
        Duration floor = min(MIN_STALE, lifetime.dividedBy(4));
        return min(MAX_STALE, max(floor, lifetime.dividedBy(20)));
    }

    /** How long before expiry a background refresh starts: 15% of the lifetime, at most 5 min, never after stale. */
    static Duration prefetchMargin(Duration lifetime, Duration staleMargin) {
        return max(staleMargin, min(MAX_PREFETCH, lifetime.multipliedBy(15).dividedBy(100)));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void close() {
        synchronized (executorLock) {
            closed = true;
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    @Override
    public String toString() {
        return "RefreshingCredentialsProvider[" + source + "]";
    }

    private record Snapshot(AwsCredentials credentials, Instant expiration, Instant prefetchAt, Instant staleAt) {
        boolean stillValid(Instant now) {
            return expiration == null || now.isBefore(expiration);
        }
    }
}
