package dev.weft.storage.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/1.1 proxy in front of an S3 server (S3Proxy in tests) that injects faults per request, with a
 * seeded {@link Random} and a fault rate. Clients talk to {@link #endpoint()} as if it were the server; the
 * {@code Host} header is passed through unchanged, so SigV4 signatures still verify.
 *
 * <p>For each request, with probability {@code rate}, one fault is chosen uniformly from {@link Fault}:
 * <ul>
 *   <li>{@code SLOW_DOWN} / {@code INTERNAL_ERROR}: the request is not forwarded; the proxy answers 503 SlowDown or
 *   500 InternalError with an S3 XML error body and keeps the connection open;</li>
 *   <li>{@code RESET_BEFORE_RESPONSE}: the request IS forwarded (the server may have acted on it), the response is
 *   dropped and the client connection reset;</li>
 *   <li>{@code RESET_MID_BODY}: the response head and half its body are sent, then the connection is reset;</li>
 *   <li>{@code STALL_MID_BODY}: the head and half the body are sent, then nothing for {@code stall} (longer than the
 *   client's read timeout), then the connection is reset.</li>
 * </ul>
 * Faults are drawn from one shared generator, so a single-threaded workload sees the same faults for the same seed;
 * concurrent requests (parallel parts) draw in arrival order. Listens on 127.0.0.1 only.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    /** The kinds of injected fault. */
    public enum Fault { SLOW_DOWN, INTERNAL_ERROR, RESET_BEFORE_RESPONSE, RESET_MID_BODY, STALL_MID_BODY }

    private static final Fault[] FAULTS = Fault.values();

    private final InetSocketAddress upstream;
    private final Duration stall;
    private final ServerSocket server;
    private final ExecutorService connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private final AtomicLong requests = new AtomicLong();
    private final Object randomLock = new Object();
    private Random random;
    private volatile double rate;
    private volatile boolean closed;

    /**
     * Starts a proxy.
     *
     * @param upstream the server's endpoint ({@code http://127.0.0.1:port})
     * @param seed     seeds the fault generator
     * @param rate     probability of a fault per request, 0..1
     * @param stall    how long a stalled response sends nothing before the connection is reset
     */
    public FaultInjectingProxy(URI upstream, long seed, double rate, Duration stall) throws IOException {
        if (!"127.0.0.1".equals(upstream.getHost()) && !"localhost".equals(upstream.getHost())) {
            throw new IllegalArgumentException("the upstream must be on loopback, was " + upstream);
        }
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.getPort());
        this.stall = stall;
        reseed(seed, rate);
        for (Fault f : FAULTS) {
            injected.put(f, new AtomicInteger());
        }
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger threads = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        connections.execute(this::acceptLoop);
    }

    /** Restarts the fault sequence: a new seed and rate, fault counters kept. */
    public void reseed(long seed, double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be in 0..1, was " + rate);
        }
        synchronized (randomLock) {
            this.random = new Random(seed);
            this.rate = rate;
        }
    }

    /** Sets the fault rate (0 passes every request through). */
    public void rate(double rate) {
        this.rate = rate;
    }

    /** The endpoint clients use instead of the server's. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Requests seen so far. */
    public long requests() {
        return requests.get();
    }

    /** Faults injected so far, per kind. */
    public Map<Fault, Integer> injected() {
        Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        injected.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private Fault draw() {
        synchronized (randomLock) {
            requests.incrementAndGet();
            if (random.nextDouble() >= rate) {
                return null;
            }
            return FAULTS[random.nextInt(FAULTS.length)];
        }
    }

    private void serve(Socket client) {
        Socket server = null;
        try (client) {
            InputStream clientIn = new BufferedInputStream(client.getInputStream());
            OutputStream clientOut = client.getOutputStream();
            InputStream serverIn = null;
            OutputStream serverOut = null;
            while (!closed) {
                Head request = Head.read(clientIn);
                if (request == null) {
                    return; // the client closed its keep-alive connection
                }
                boolean expectContinue = "100-continue".equalsIgnoreCase(request.header("expect"));
                if (expectContinue) {
                    // The proxy reads the body before forwarding, so it answers the expectation itself.
                    clientOut.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    clientOut.flush();
                }
                Fault fault = draw();
                if (fault != null) {
                    injected.get(fault).incrementAndGet();
                }
                if (fault == Fault.SLOW_DOWN || fault == Fault.INTERNAL_ERROR) {
                    request.copyBody(clientIn, OutputStream.nullOutputStream(), false);
                    errorResponse(clientOut, fault, request.target());
                    continue;
                }
                if (server == null) {
                    server = new Socket();
                    open.add(server);
                    server.connect(upstream, 5_000);
                    serverIn = new BufferedInputStream(server.getInputStream());
                    serverOut = server.getOutputStream();
                }
                serverOut.write(request.bytes(Set.of("expect")));
                request.copyBody(clientIn, serverOut, false);
                serverOut.flush();
                Head response = Head.read(serverIn);
                if (response == null) {
                    return;
                }
                boolean noBody = request.method().equals("HEAD") || response.status() == 204
                        || response.status() == 304 || (response.status() >= 100 && response.status() < 200);
                if (fault == Fault.RESET_BEFORE_RESPONSE) {
                    if (!noBody) {
                        response.copyBody(serverIn, OutputStream.nullOutputStream(), true);
                    }
                    reset(client);
                    return;
                }
                if (fault == Fault.RESET_MID_BODY || fault == Fault.STALL_MID_BODY) {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    if (!noBody) {
                        response.copyBody(serverIn, body, true);
                    }
                    clientOut.write(response.bytes(Set.of()));
                    clientOut.write(body.toByteArray(), 0, body.size() / 2);
                    clientOut.flush();
                    if (fault == Fault.STALL_MID_BODY) {
                        sleep(stall);
                    }
                    reset(client);
                    return;
                }
                clientOut.write(response.bytes(Set.of()));
                if (!noBody) {
                    response.copyBody(serverIn, clientOut, true);
                }
                clientOut.flush();
                if ("close".equalsIgnoreCase(response.header("connection"))
                        || "close".equalsIgnoreCase(request.header("connection"))) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client or the server went away: this connection is over
        } finally {
            open.remove(client);
            if (server != null) {
                open.remove(server);
                try {
                    server.close();
                } catch (IOException ignored) {
                    // closing a socket that is already broken
                }
            }
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0); // close() now sends RST instead of FIN
        socket.close();
    }

    private static void errorResponse(OutputStream out, Fault fault, String target) throws IOException {
        int status = fault == Fault.SLOW_DOWN ? 503 : 500;
        String code = fault == Fault.SLOW_DOWN ? "SlowDown" : "InternalError";
        String message = fault == Fault.SLOW_DOWN ? "Please reduce your request rate."
                : "We encountered an internal error. Please try again.";
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                + message + "</Message><Resource>" + path + "</Resource><RequestId>fault-injected</RequestId>"
                + "</Error>").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status == 503 ? " Service Unavailable" : " Internal Server Error")
                + "\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                + "\r\nx-amz-request-id: fault-injected\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        connections.shutdownNow();
    }

    /** A request or response head: the start line and the headers, kept in order. */
    private record Head(String startLine, List<String[]> headers) {

        static Head read(InputStream in) throws IOException {
            String start = line(in);
            if (start == null) {
                return null;
            }
            while (start.isEmpty()) {
                start = line(in);
                if (start == null) {
                    return null;
                }
            }
            List<String[]> headers = new ArrayList<>();
            for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
                }
            }
            return new Head(start, headers);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }

        String method() {
            return startLine.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        }

        String target() {
            String[] parts = startLine.split(" ");
            return parts.length > 1 ? parts[1] : "/";
        }

        int status() {
            String[] parts = startLine.split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        }

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        byte[] bytes(Set<String> without) {
            StringBuilder s = new StringBuilder(startLine).append("\r\n");
            for (String[] h : headers) {
                if (!without.contains(h[0].toLowerCase(Locale.ROOT))) {
                    s.append(h[0]).append(": ").append(h[1]).append("\r\n");
                }
            }
            return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        /**
         * Copies the body (Content-Length or chunked, chunked framing included). A response with neither is read
         * to the end of the connection; a request with neither has no body.
         */
        void copyBody(InputStream in, OutputStream out, boolean response) throws IOException {
            String te = header("transfer-encoding");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                copyChunked(in, out);
                return;
            }
            String length = header("content-length");
            if (length != null) {
                copyExactly(in, out, Long.parseLong(length.trim()));
            } else if (response) {
                in.transferTo(out);
            }
        }

        private static void copyChunked(InputStream in, OutputStream out) throws IOException {
            while (true) {
                String sizeLine = line(in);
                if (sizeLine == null) {
                    throw new IOException("chunked body ended early");
                }
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                if (size == 0) {
                    for (String trailer = line(in); trailer != null; trailer = line(in)) {
                        out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        if (trailer.isEmpty()) {
                            return;
                        }
                    }
                    return;
                }
                copyExactly(in, out, size);
                String crlf = line(in);
                out.write(((crlf == null ? "" : crlf) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            long left = n;
            while (left > 0) {
                int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (r < 0) {
                    throw new IOException("body ended " + left + " bytes early");
                }
                out.write(buffer, 0, r);
                left -= r;
            }
        }
    }
}
