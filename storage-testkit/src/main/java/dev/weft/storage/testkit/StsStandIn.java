package dev.weft.storage.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback stand-in for AWS STS on 127.0.0.1 and a random port, answering the query-protocol actions
 * {@code AssumeRoleWithWebIdentity} and {@code AssumeRole} with the XML STS sends, carrying credentials the test
 * chose. Point an SDK STS client at {@link #endpoint()} with an endpoint override.
 *
 * <p>It records every request's form parameters and {@code Authorization} header (so a test can see the web identity
 * token and role ARN it was sent, or which access key signed an AssumeRole), counts calls per action, and can be told
 * to fail the next requests with an STS error. It does not check signatures. Thread-safe; {@link #close()} stops it.
 */
public final class StsStandIn implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Map<String, String>> requests = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private String accessKeyId = "weft-sts-access-key";
    private String secretAccessKey = "weft-sts-secret-key-0123456789";
    private String sessionToken = "weft-sts-session-token";
    private Duration lifetime = Duration.ofHours(1);

    private record Fault(int status, String code, String message) {
    }

    private StsStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sts-stand-in");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a stand-in on a random loopback port. */
    public static StsStandIn start() throws IOException {
        return new StsStandIn();
    }

    /** {@code http://127.0.0.1:PORT}: the STS endpoint override. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The credentials handed out from now on. */
    public synchronized StsStandIn credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
        return this;
    }

    /** How long handed-out credentials live: Expiration = now + lifetime. */
    public synchronized StsStandIn lifetime(Duration lifetime) {
        this.lifetime = lifetime;
        return this;
    }

    /** The next {@code times} requests fail with this HTTP status and STS error code and message. */
    public synchronized StsStandIn failNext(int times, int status, String code, String message) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(status, code, message));
        }
        return this;
    }

    /** How many requests named {@code action} (e.g. "AssumeRoleWithWebIdentity") were received. */
    public synchronized int calls(String action) {
        return (int) requests.stream().filter(r -> action.equals(r.get("Action"))).count();
    }

    /** Every request's form parameters, in order. */
    public synchronized List<Map<String, String>> requests() {
        return List.copyOf(requests);
    }

    /** Every request's Authorization header (null for unsigned requests), in order. */
    public synchronized List<String> authorizations() {
        return new ArrayList<>(authorizations);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, String> params = parseForm(query == null ? body : query + "&" + body);
        Fault fault;
        String ak;
        String sk;
        String token;
        Duration life;
        synchronized (this) {
            requests.add(params);
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            fault = faults.poll();
            ak = accessKeyId;
            sk = secretAccessKey;
            token = sessionToken;
            life = lifetime;
        }
        String action = params.getOrDefault("Action", "");
        if (fault != null) {
            respond(exchange, fault.status(), error(fault.code(), fault.message()));
            return;
        }
        if (!action.equals("AssumeRoleWithWebIdentity") && !action.equals("AssumeRole")) {
            respond(exchange, 400, error("InvalidAction", "Could not find operation " + action));
            return;
        }
        String expiration = Instant.now().plus(life).truncatedTo(ChronoUnit.MILLIS).toString();
        String roleArn = params.getOrDefault("RoleArn", "");
        String session = params.getOrDefault("RoleSessionName", "session");
        String xml = "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<" + action + "Result>"
                + (action.equals("AssumeRoleWithWebIdentity")
                ? "<SubjectFromWebIdentityToken>system:serviceaccount:weft:test</SubjectFromWebIdentityToken>"
                + "<Audience>sts.amazonaws.com</Audience><Provider>weft-test</Provider>" : "")
                + "<AssumedRoleUser><Arn>" + escape(roleArn) + "/" + escape(session) + "</Arn>"
                + "<AssumedRoleId>AROAWEFTTEST:" + escape(session) + "</AssumedRoleId></AssumedRoleUser>"
                + "<Credentials><AccessKeyId>" + escape(ak) + "</AccessKeyId>"
                + "<SecretAccessKey>" + escape(sk) + "</SecretAccessKey>"
                + "<SessionToken>" + escape(token) + "</SessionToken>"
                + "<Expiration>" + expiration + "</Expiration></Credentials>"
                + "</" + action + "Result>"
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                + "</" + action + "Response>";
        respond(exchange, 200, xml);
    }

    private static String error(String code, String message) {
        return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                + "<Code>" + escape(code) + "</Code><Message>" + escape(message) + "</Message></Error>"
                + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
    }

    private static Map<String, String> parseForm(String form) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void respond(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
