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
 * [fd00:ec2::23]; https to any host. 5xx, 429 and I/O errors are retried with exponential backoff; 400 and 403 are
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

    /**
     * A provider for the given endpoint.
     *
     * @param settings the endpoint, token and retry settings
     * @param http     the HTTP client to call the agent with; its timeouts apply. Not closed by this provider.
     * @param clock    the time source for the cache
     * @throws CredentialSourceException when the URI's host is not allowed
     */
    public PodIdentityCredentialsProvider(PodIdentitySettings settings, SdkHttpClient http, Clock clock) {
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
        details.put("uri", settings.uri().toString());
        settings.tokenFile().ifPresent(f -> details.put("tokenFile", f.toString()));
        if (settings.tokenFile().isEmpty() && settings.inlineToken().isPresent()) {
            details.put("token", "AWS_CONTAINER_AUTHORIZATION_TOKEN");
        }
        cache.expiration().ifPresent(e -> details.put("expiration", e.toString()));
        return details;
    }

    /** Calls the agent once (with retries), bypassing the cache. */
    AwsCredentials fetch() {
        String token = readToken().orElse(null);
        String where = "agent at " + settings.uri();
        int attempt = 0;
        while (true) {
            attempt++;
            Answer answer;
            try {
                answer = call(token);
            } catch (IOException e) {
                String problem = e instanceof java.net.SocketTimeoutException
                        ? "did not answer within " + settings.timeout().toMillis() + " ms"
                        : "could not be reached";
                if (attempt < settings.maxAttempts()) {
                    LOG.debug("{}: {} {} (attempt {}), retrying", SOURCE, where, problem, attempt);
                    backoff(attempt);
                    continue;
                }
                throw new CredentialSourceException(SOURCE, where + " " + problem + " (" + attempts(attempt) + "): "
                        + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
            if (answer.status == 200) {
                return parse(answer.body, where);
            }
            boolean retryable = answer.status == 429 || answer.status >= 500;
            if (retryable && attempt < settings.maxAttempts()) {
                LOG.debug("{}: {} answered {} (attempt {}), retrying", SOURCE, where, answer.status, attempt);
                backoff(attempt);
                continue;
            }
            throw new CredentialSourceException(SOURCE, where + " answered " + answer.status
                    + (retryable ? " (" + attempts(attempt) + ")" : "") + ": " + oneLine(answer.body));
        }
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
        return new Answer(response.httpResponse().statusCode(), body);
    }

    private AwsCredentials parse(String body, String where) {
        Map<String, JsonNode> fields;
        try {
            JsonNode node = JsonNode.parser().parse(body);
            if (!node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            fields = node.asObject();
        } catch (RuntimeException e) {
            // The body may hold a secret: say what is wrong, not what it was.
            throw new CredentialSourceException(SOURCE, where + " answered 200 with a body that is not a JSON object");
        }
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

    private void backoff(int attempt) {
        long millis = settings.firstBackoff().toMillis() << Math.min(attempt - 1, 10);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialSourceException(SOURCE, "interrupted while waiting to retry the agent at "
                    + settings.uri());
        }
    }

    private static String attempts(int n) {
        return n == 1 ? "1 attempt" : n + " attempts";
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
        return "PodIdentityCredentialsProvider[" + settings.uri() + "]";
    }

    private record Answer(int status, String body) {
    }
}
