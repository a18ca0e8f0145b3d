package dev.weft.storage.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for the EKS Pod Identity agent ({@code http://169.254.170.23/v1/credentials}), speaking the
 * same protocol on 127.0.0.1 and a random port:
 * <ul>
 *   <li>{@code GET /v1/credentials} with header {@code Authorization: <token>}; the token must equal the trimmed
 *       contents of the token file, read at each request (so tests can rotate it);</li>
 *   <li>success: JSON {@code AccessKeyId, SecretAccessKey, Token, AccountId, Expiration} (RFC 3339);</li>
 *   <li>errors: plain text with 400 (missing or wrong token), or whatever fault a test queued (403, 429, 500...).</li>
 * </ul>
 * It counts calls and remembers the tokens it saw. Point a chain at it with
 * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI=}{@link #uri()} and {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=}the
 * token file. Thread-safe; {@link #close()} stops it.
 */
public final class PodIdentityAgent implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path tokenFile;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> tokensSeen = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private Fault persistentFault;
    private String accessKeyId;
    private String secretAccessKey;
    private String sessionToken = "weft-test-session-token";
    private Duration lifetime = Duration.ofHours(6);
    private int fractionalDigits;
    private Duration delay = Duration.ZERO;
    private Random flakyRandom;
    private double flakyRatio;
    private Duration flakySlow = Duration.ZERO;

    private final AtomicInteger faultsServed = new AtomicInteger();

    private record Fault(int status, String body, String retryAfter) {
    }

    private PodIdentityAgent(Path tokenFile, String accessKeyId, String secretAccessKey) throws IOException {
        this.tokenFile = tokenFile;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pod-identity-agent");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts an agent that hands out the given key pair to callers presenting the token in {@code tokenFile}.
     *
     * @param tokenFile       the file whose trimmed contents callers must send; may be written or rotated later
     * @param accessKeyId     the access key id to hand out
     * @param secretAccessKey the secret key to hand out
     */
    public static PodIdentityAgent start(Path tokenFile, String accessKeyId, String secretAccessKey)
            throws IOException {
        return new PodIdentityAgent(tokenFile, accessKeyId, secretAccessKey);
    }

    /** {@code http://127.0.0.1:PORT/v1/credentials}: the value for AWS_CONTAINER_CREDENTIALS_FULL_URI. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/credentials");
    }

    /** The token file callers must read. */
    public Path tokenFile() {
        return tokenFile;
    }

    /** Hands out another key pair from now on. */
    public synchronized PodIdentityAgent credentials(String accessKeyId, String secretAccessKey) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        return this;
    }

    /** The session token handed out. */
    public synchronized PodIdentityAgent sessionToken(String sessionToken) {
        this.sessionToken = sessionToken;
        return this;
    }

    /** How long handed-out credentials live: Expiration = now + lifetime. */
    public synchronized PodIdentityAgent lifetime(Duration lifetime) {
        this.lifetime = lifetime;
        return this;
    }

    /** How many fractional-second digits Expiration carries (0 to 9), to test RFC 3339 parsing. */
    public synchronized PodIdentityAgent fractionalDigits(int digits) {
        if (digits < 0 || digits > 9) {
            throw new IllegalArgumentException("digits must be 0..9");
        }
        this.fractionalDigits = digits;
        return this;
    }

    /** Waits this long before answering each request (to test timeouts). */
    public synchronized PodIdentityAgent delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** The next {@code times} requests get this status and plain-text body, then normal service resumes. */
    public synchronized PodIdentityAgent failNext(int times, int status, String body) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(status, body, null));
        }
        return this;
    }

    /**
     * The next {@code times} requests get 429 Too Many Requests with header {@code Retry-After: retryAfter} (seconds,
     * or whatever text a test wants to send), then normal service resumes.
     */
    public synchronized PodIdentityAgent throttleNext(int times, String retryAfter) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(429, "Too Many Requests", retryAfter));
        }
        return this;
    }

    /** Every request gets this status and body until {@link #recover()}. */
    public synchronized PodIdentityAgent failAlways(int status, String body) {
        this.persistentFault = new Fault(status, body, null);
        return this;
    }

    /**
     * Flaky mode (issue 12): from now on each request fails with probability {@code failureRatio}, the fault drawn
     * from a generator seeded with {@code seed} so a run is reproducible: 500, 429 with {@code Retry-After: 1},
     * a slow answer (waits {@code slow}, meant to exceed the caller's timeout, then answers normally) or a 200 with
     * unparsable JSON, in equal shares. Other requests get normal service. {@link #recover()} ends it.
     */
    public synchronized PodIdentityAgent flaky(long seed, double failureRatio, Duration slow) {
        if (failureRatio < 0 || failureRatio > 1) {
            throw new IllegalArgumentException("failureRatio must be 0..1");
        }
        this.flakyRandom = new Random(seed);
        this.flakyRatio = failureRatio;
        this.flakySlow = slow;
        return this;
    }

    /**
     * Expired mode: credentials handed out from now on carry an Expiration {@code ago} in the past, as an agent
     * with a skewed clock or a stale cache would send them.
     */
    public synchronized PodIdentityAgent expired(Duration ago) {
        this.lifetime = ago.negated();
        return this;
    }

    /** Clears queued and persistent faults, flaky mode and the delay. */
    public synchronized PodIdentityAgent recover() {
        faults.clear();
        persistentFault = null;
        delay = Duration.ZERO;
        flakyRandom = null;
        return this;
    }

    /**
     * How many requests got a fault instead of credentials (flaky-mode faults, queued and persistent faults; a slow
     * flaky answer counts too, although it ends with credentials for a caller patient enough).
     */
    public int faultsServed() {
        return faultsServed.get();
    }

    /** How many requests the agent has received. */
    public int calls() {
        return calls.get();
    }

    /** The Authorization header values received, in order (the test's own tokens, not real secrets). */
    public synchronized List<String> tokensSeen() {
        return List.copyOf(tokensSeen);
    }

    /** Forgets counted calls and seen tokens. */
    public synchronized void resetCounters() {
        calls.set(0);
        faultsServed.set(0);
        tokensSeen.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Fault fault;
        Duration wait;
        String ak;
        String sk;
        String token;
        Duration life;
        int digits;
        int flakyKind = -1;
        synchronized (this) {
            if (flakyRandom != null && flakyRandom.nextDouble() < flakyRatio) {
                flakyKind = flakyRandom.nextInt(4);
            }
            tokensSeen.add(authorization);
            fault = faults.isEmpty() ? persistentFault : faults.poll();
            wait = delay;
            ak = accessKeyId;
            sk = secretAccessKey;
            token = sessionToken;
            life = lifetime;
            digits = fractionalDigits;
        }
        try {
            if (!wait.isZero()) {
                Thread.sleep(wait.toMillis());
            }
            if (flakyKind >= 0 || fault != null) {
                faultsServed.incrementAndGet();
            }
            if (flakyKind == 0) {
                respond(exchange, 500, "text/plain", "Internal Server Error");
                return;
            }
            if (flakyKind == 1) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                respond(exchange, 429, "text/plain", "Too Many Requests");
                return;
            }
            if (flakyKind == 2) {
                Duration slow;
                synchronized (this) {
                    slow = flakySlow;
                }
                Thread.sleep(slow.toMillis());
            }
            if (flakyKind == 3) {
                respond(exchange, 200, "application/json", "{\"AccessKeyId\":\"trunc");
                return;
            }
            if (fault != null) {
                if (fault.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", fault.retryAfter());
                }
                respond(exchange, fault.status(), "text/plain", fault.body());
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "text/plain", "Method Not Allowed");
                return;
            }
            String expected = Files.exists(tokenFile) ? Files.readString(tokenFile).trim() : null;
            if (authorization == null || authorization.isEmpty()) {
                respond(exchange, 400, "text/plain", "Service account token cannot be empty");
                return;
            }
            if (!authorization.equals(expected)) {
                respond(exchange, 400, "text/plain", "Invalid service account token");
                return;
            }
            Instant expiration = Instant.now().plus(life);
            String json = "{\"AccessKeyId\":\"" + ak + "\",\"SecretAccessKey\":\"" + sk + "\",\"Token\":\"" + token
                    + "\",\"AccountId\":\"123456789012\",\"Expiration\":\"" + rfc3339(expiration, digits) + "\"}";
            respond(exchange, 200, "application/json", json);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        }
    }

    static String rfc3339(Instant instant, int digits) {
        Instant seconds = instant.truncatedTo(ChronoUnit.SECONDS);
        String base = seconds.toString(); // yyyy-MM-ddTHH:mm:ssZ
        if (digits == 0) {
            return base;
        }
        String nanos = String.format("%09d", instant.getNano()).substring(0, digits);
        return base.substring(0, base.length() - 1) + "." + nanos + "Z";
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
