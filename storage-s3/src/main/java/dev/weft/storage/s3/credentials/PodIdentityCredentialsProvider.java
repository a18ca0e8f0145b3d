package dev.weft.storage.s3.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Credentials from an EKS Pod Identity agent or an ECS container-credentials endpoint.
 *
 * <p>Weft's own implementation rather than the SDK's {@code ContainerCredentialsProvider}, because that one reads its
 * URI only from JVM-global environment and system properties and sends the token file without trimming it (a trailing
 * newline breaks the request). Here the URI and token file come from {@link PodIdentitySettings}; the token file is
 * re-read and trimmed on every fetch (the kubelet rotates it), and it wins over an inline token.
 *
 * <p>Plain http is allowed only to loopback and the agent addresses 169.254.170.2, 169.254.170.23 and
 * [fd00:ec2::23]; https to any host. 5xx, 429 (honouring Retry-After), timeouts, I/O errors and unparsable bodies
 * are retried by {@link AgentRetry} (exponential backoff, full jitter, bounded attempts and time); other 4xx are
 * not, and their text is reported. Results are cached and refreshed ahead of expiry by a
 * {@link RefreshingCredentialsProvider}, so the agent is called about once per credential lifetime.
 */
public final class PodIdentityCredentialsProvider implements AwsCredentialsProvider, SdkAutoCloseable {

    /** The source name used in reports and errors. */
    public static final String SOURCE = "pod-identity";

    private static final Logger LOG = LoggerFactory.getLogger(PodIdentityCredentialsProvider.class);
    private static final Set<String> AGENT_HOSTS = Set.of("169.254.170.2", "169.254.170.23", "fd00:ec2::23",
            "[fd00:ec2::23]");
    private static final int MAX_BODY = 64 * 1024;

    private final PodIdentitySettings settings;
    private final SdkHttpClient http;
    private final RefreshingCredentialsProvider cache;
    private final Clock clock;
    private final AgentRetry retry;
    private volatile String lastNote;

    /**
     * A provider for the given endpoint.
     *
     * @param settings the endpoint, token and retry settings
     * @param http     the HTTP client to call the agent with; its timeouts apply. Not closed by this provider.
     * @param clock    the time source for the cache
     * @throws CredentialSourceException when the URI's host is not allowed
     */
    public PodIdentityCredentialsProvider(PodIdentitySettings settings, SdkHttpClient http, Clock clock) {
        this(settings, http, clock, new AgentRetry(settings.retryPolicy()));
    }

    /** With an injected retry rule (tests record the waits instead of sleeping). */
    PodIdentityCredentialsProvider(PodIdentitySettings settings, SdkHttpClient http, Clock clock, AgentRetry retry) {
        this.retry = Objects.requireNonNull(retry, "retry");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        checkAllowed(settings.uri(), settings.uriOrigin());
        this.cache = new RefreshingCredentialsProvider(SOURCE, this::fetch, clock);
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return cache.resolveCredentials();
    }

    /** Non-secret facts for the credential report. */
    public Map<String, String> details() {
        Map<String, String> details = new java.util.LinkedHashMap<>();
        details.put("uri", redacted(settings.uri()));
        settings.tokenFile().ifPresent(f -> details.put("tokenFile", f.toString()));
        if (settings.tokenFile().isEmpty() && settings.inlineToken().isPresent()) {
            details.put("token", "AWS_CONTAINER_AUTHORIZATION_TOKEN");
        }
        cache.expiration().ifPresent(e -> details.put("expiration", e.toString()));
        return details;
    }

    /**
     * Calls the agent (with retries by {@link AgentRetry}), bypassing the cache. Transient answers (5xx, 429, I/O
     * errors and timeouts, a 200 with an unparsable body) are retried; others fail at once.
     */
    AwsCredentials fetch() {
        String token = readToken().orElse(null);
        String where = "agent at " + redacted(settings.uri());
        AgentRetry.Result<AwsCredentials> result = retry.run(() -> attempt(token, where),
                message -> new CredentialSourceException(SOURCE, message));
        lastNote = result.note().orElse(null);
        if (lastNote != null) {
            LOG.info("{}: {} gave credentials {}", SOURCE, where, lastNote);
        }
        return result.value();
    }

    private AgentRetry.Answer<AwsCredentials> attempt(String token, String where) {
        Answer answer;
        try {
            answer = call(token);
        } catch (IOException e) {
            // Read and connect timeouts are both InterruptedIOExceptions (SocketTimeoutException, Apache's
            // ConnectTimeoutException).
            boolean timeout = e instanceof java.io.InterruptedIOException;
            String problem = timeout ? "did not answer within " + settings.timeout().toMillis() + " ms"
                    : "could not be reached: " + e.getClass().getSimpleName();
            LOG.debug("{}: {} {}", SOURCE, where, problem);
            return new AgentRetry.Transient<>(timeout ? "timeout" : e.getClass().getSimpleName(), Optional.empty(),
                    where + " " + problem);
        }
        if (answer.status == 200) {
            Map<String, JsonNode> fields = jsonObject(answer.body);
            if (fields == null) {
                // Cut off or garbled: the agent may answer properly next time. The body may hold a secret: say
                // what is wrong, not what it was.
                return new AgentRetry.Transient<>("unparsable body", Optional.empty(),
                        where + " answered 200 with a body that is not a JSON object");
            }
            return new AgentRetry.Success<>(parse(fields, where));
        }
        String body = token == null || token.isEmpty() ? answer.body : answer.body.replace(token, "****");
        String text = where + " answered " + answer.status + ": " + oneLine(body);
        if (answer.status == 429 || answer.status >= 500) {
            LOG.debug("{}: {}", SOURCE, text);
            return new AgentRetry.Transient<>(String.valueOf(answer.status),
                    answer.status == 429 ? AgentRetry.retryAfter(answer.retryAfter) : Optional.empty(), text);
        }
        // 400 (bad token), 403 (denied), 404 and the rest: asking again gives the same answer.
        throw new CredentialSourceException(SOURCE, text);
    }

    /** "after 3 attempts (retried: 500; timeout)" when the last fetch needed retries, else empty. */
    public Optional<String> lastFetchNote() {
        return Optional.ofNullable(lastNote);
    }

    /** The URI without user info, query or fragment, which could carry secrets. */
    static String redacted(URI uri) {
        String text = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
        return uri.getRawQuery() == null ? text : text + "?...";
    }

    private Optional<String> readToken() {
        if (settings.tokenFile().isPresent()) {
            Path file = settings.tokenFile().get();
            String token;
            try {
                token = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (NoSuchFileException e) {
                throw new CredentialSourceException(SOURCE, "token file " + file + " does not exist");
            } catch (IOException e) {
                throw new CredentialSourceException(SOURCE, "cannot read token file " + file + ": "
                        + e.getClass().getSimpleName(), e);
            }
            if (token.isEmpty()) {
                throw new CredentialSourceException(SOURCE, "token file " + file + " is empty");
            }
            if (token.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new CredentialSourceException(SOURCE, "token file " + file
                        + " holds control characters inside the token (expected one line)");
            }
            return Optional.of(token);
        }
        return settings.inlineToken().map(String::strip);
    }

    private Answer call(String token) throws IOException {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(settings.uri())
                .putHeader("Accept", "application/json");
        if (token != null) {
            request.putHeader("Authorization", token);
        }
        ExecutableHttpRequest exec = http.prepareRequest(HttpExecuteRequest.builder().request(request.build()).build());
        HttpExecuteResponse response = exec.call();
        String body = "";
        if (response.responseBody().isPresent()) {
            try (InputStream in = response.responseBody().get()) {
                body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
            }
        }
        return new Answer(response.httpResponse().statusCode(), body,
                response.httpResponse().firstMatchingHeader("Retry-After").orElse(null));
    }

    /** The body's fields, or null when it is not a JSON object. */
    private static Map<String, JsonNode> jsonObject(String body) {
        try {
            JsonNode node = JsonNode.parser().parse(body);
            return node.isObject() ? node.asObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private AwsCredentials parse(Map<String, JsonNode> fields, String where) {
        String accessKeyId = text(fields, "AccessKeyId", where, true);
        String secret = text(fields, "SecretAccessKey", where, true);
        String token = text(fields, "Token", where, false);
        String accountId = text(fields, "AccountId", where, false);
        String expiration = text(fields, "Expiration", where, false);
        Instant expires = expiration == null ? null : parseExpiration(expiration, where);
        // Issue 12: signing with credentials that are already dead only moves the failure to S3 (403); refuse them
        // here, as the MinIO plugin does, so the report names the agent as the culprit.
        if (expires != null && !expires.isAfter(clock.instant())) {
            throw new CredentialSourceException(SOURCE, where + " answered credentials that already expired at "
                    + expires);
        }
        if (token == null) {
            AwsBasicCredentials.Builder basic = AwsBasicCredentials.builder().accessKeyId(accessKeyId)
                    .secretAccessKey(secret).providerName(SOURCE);
            if (accountId != null) {
                basic.accountId(accountId);
            }
            return basic.build();
        }
        AwsSessionCredentials.Builder session = AwsSessionCredentials.builder().accessKeyId(accessKeyId)
                .secretAccessKey(secret).sessionToken(token).expirationTime(expires).providerName(SOURCE);
        if (accountId != null) {
            session.accountId(accountId);
        }
        return session.build();
    }

    private static String text(Map<String, JsonNode> fields, String name, String where, boolean required) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull() || !node.isString() || node.asString().isBlank()) {
            if (required) {
                throw new CredentialSourceException(SOURCE, where + " answered 200 without a '" + name + "' string");
            }
            return null;
        }
        return node.asString();
    }

    /** Parses an RFC 3339 timestamp with 0 to 9 fractional digits, 'Z' or an offset, either case of 'T'/'Z'. */
    static Instant parseExpiration(String value, String where) {
        try {
            return OffsetDateTime.parse(value.trim().toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new CredentialSourceException(SOURCE, where + " answered an Expiration that is not RFC 3339: '"
                    + value + "'");
        }
    }

    private static String oneLine(String body) {
        String text = body.strip().replaceAll("\\s+", " ");
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /**
     * Checks that plain http goes only to loopback or the agent addresses.
     *
     * @throws CredentialSourceException naming the host and where the URI came from
     */
    static void checkAllowed(URI uri, String origin) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return;
        }
        if (!scheme.equals("http")) {
            throw new CredentialSourceException(SOURCE, origin + " '" + uri + "' must be an http or https URI");
        }
        String host = uri.getHost();
        if (host == null) {
            throw new CredentialSourceException(SOURCE, origin + " '" + uri + "' has no host");
        }
        if (AGENT_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
            return;
        }
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            boolean allLoopback = addresses.length > 0;
            for (InetAddress address : addresses) {
                allLoopback &= address.isLoopbackAddress();
            }
            if (allLoopback) {
                return;
            }
        } catch (UnknownHostException e) {
            throw new CredentialSourceException(SOURCE, origin + " '" + uri + "': unknown host " + host);
        }
        throw new CredentialSourceException(SOURCE, origin + " '" + uri + "': plain http is allowed only to loopback, "
                + "169.254.170.2, 169.254.170.23 and [fd00:ec2::23]; use https for host " + host);
    }

    @Override
    public void close() {
        cache.close();
    }

    @Override
    public String toString() {
        return "PodIdentityCredentialsProvider[" + redacted(settings.uri()) + "]";
    }

    private record Answer(int status, String body, String retryAfter) {
        /** No body: a 200's body holds the secret key and session token. */
        @Override
        public String toString() {
            return "Answer[" + status + "]";
        }
    }
}
