package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.in.ClientLimits;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile connections over raw sockets against a real relay: broken framing (request smuggling),
 * slow heads and bodies, bodies that declare more than they send, {@code Connection: close}. Each
 * attack gets exactly one answer and a closed connection; the upstream never sees a request hidden in
 * a body; a normal client is served during and after each attack.
 *
 * <p>These tests fail if a Helidon upgrade (or a change to the listener) lets Helidon's own lenient
 * parser see client bytes first again: the smuggling cases are answered 500/200/400 by it.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileConnectionsIT {

    private static final String BOTH = "application/json, text/event-stream";
    private static final String ECHO = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"m\":\"x\"}}}";
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");

    private static StubUpstream upstream;
    private static McpRelayServer relay;
    private static String session;
    private static final AtomicInteger HIDDEN_SEEN = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        upstream = MiniMcpUpstream.start();
        ClientOptions clients = new ClientOptions(new ClientLimits(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3), 64),
                8L << 20);
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint())).withMaxBodyBytes(1 << 20)
                .withClients(clients));
        session = initialize();
    }

    @AfterAll
    static void stop() {
        relay.close();
        upstream.close();
    }

    // ---- framing ---------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> brokenFramingGetsOneAnswerAndAClosedConnection() {
        String hidden = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session
                + "\r\nContent-Length: " + hiddenBody().length() + "\r\n\r\n" + hiddenBody();
        List<Framing> cases = new ArrayList<>();
        cases.add(new Framing("bare LF after a chunk size, a request hidden in the chunk",
                chunkedHead() + Integer.toHexString(hidden.length()) + "\n" + hidden + "\r\n0\r\n\r\n", 400));
        cases.add(new Framing("bare LF chunk line", chunkedHead() + "5\nhello\r\n0\r\n\r\n", 400));
        cases.add(new Framing("negative chunk size", chunkedHead() + "-5\r\nhello\r\n0\r\n\r\n", 400));
        cases.add(new Framing("overflowing chunk size", chunkedHead() + "fffffffffffffffffffff\r\nhello\r\n0\r\n\r\n", 400));
        cases.add(new Framing("chunk data not followed by CRLF, a request after it",
                chunkedHead() + "5\r\nhelloXX" + hidden + "\r\n0\r\n\r\n", 400));
        cases.add(new Framing("no hex in a chunk size", chunkedHead() + "zz\r\nhello\r\n0\r\n\r\n", 400));
        cases.add(new Framing("Content-Length and Transfer-Encoding", head("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")
                + "5\r\nhello\r\n0\r\n\r\n", 400));
        cases.add(new Framing("two Content-Lengths", head("Content-Length: 5\r\nContent-Length: 6\r\n") + "hello!", 400));
        cases.add(new Framing("two equal Content-Lengths", head("Content-Length: 5\r\nContent-Length: 5\r\n") + "hello", 400));
        cases.add(new Framing("Content-Length with a sign", head("Content-Length: +5\r\n") + "hello", 400));
        cases.add(new Framing("Content-Length list", head("Content-Length: 5, 5\r\n") + "hello", 400));
        cases.add(new Framing("obs-fold", head("X-Folded: a\r\n b\r\nContent-Length: 0\r\n"), 400));
        cases.add(new Framing("whitespace before the colon", head("Content-Length : 5\r\n") + "hello", 400));
        cases.add(new Framing("bare LF header line", head("X-A: b\nContent-Length: 0\r\n"), 400));
        // Helidon serves no HTTP/1.0 at all: one 505 (the framing check refuses HTTP/1.0 chunked with 400 before it, in RequestFramingTest)
        cases.add(new Framing("HTTP/1.0 chunked", chunkedHead().replace("HTTP/1.1", "HTTP/1.0") + "5\r\nhello\r\n0\r\n\r\n", 505));
        cases.add(new Framing("Transfer-Encoding other than chunked", head("Transfer-Encoding: gzip, chunked\r\n") + "0\r\n\r\n", 501));
        cases.add(new Framing("Transfer-Encoding twice", head("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n", 400));
        cases.add(new Framing("a huge header line", head("X-Big: " + "a".repeat(40_000) + "\r\nContent-Length: 0\r\n"), 431));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        cases.add(new Framing("500 header fields", head(many + "Content-Length: 0\r\n"), 431));
        cases.add(new Framing("a huge request line", "GET /mcp?" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414));
        cases.add(new Framing("HTTP/2.0 in the request line", "GET /mcp HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 505));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), c::check));
    }

    private record Framing(String name, String bytes, int status) {
        void check() throws Exception {
            int hiddenBefore = HIDDEN_SEEN.get();
            Exchange exchange = exchange(bytes);
            assertThat(exchange.statuses()).as(name + ": " + exchange.text()).containsExactly(status);
            assertThat(exchange.closed()).as(name + ": connection closed after the answer").isTrue();
            assertThat(exchange.text()).doesNotContain("Exception");
            assertThat(exchange.text()).as(name + ": a JSON-RPC error body").contains("application/json")
                    .contains("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"");
            assertThat(upstreamSawHidden()).as(name + ": the upstream never runs a request hidden in a body").isEqualTo(hiddenBefore);
            assertNormalClientServed();
        }
    }

    @Test
    void legalChunkExtensionsAndTrailersWork() throws Exception {
        String body = ECHO;
        String chunked = chunkedHead() + Integer.toHexString(10) + ";name=value;q=\"quoted\"\r\n" + body.substring(0, 10) + "\r\n"
                + Integer.toHexString(body.length() - 10) + " ; ext\r\n" + body.substring(10) + "\r\n0\r\nX-Trailer: t\r\n\r\n";
        Exchange exchange = exchange(chunked.replace("Connection: keep-alive", "Connection: close"));
        assertThat(exchange.statuses()).as(exchange.text()).containsExactly(200);
        assertThat(exchange.text()).contains("\"id\":7,\"result\"");
        assertThat(exchange.closed()).isTrue();
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        Exchange exchange = exchange(postHead(ECHO.length(), "Connection: close\r\n") + ECHO);
        assertThat(exchange.statuses()).containsExactly(200);
        assertThat(exchange.closed()).as("closed after the answer").isTrue();
        Exchange refused = exchange("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + hiddenRequest().length() + "\r\n\r\n" + hiddenRequest());
        assertThat(refused.statuses()).as("a refused request's body is not read as a request").containsExactly(406);
        assertThat(refused.closed()).isTrue();
    }

    @Test
    void pipelinedRequestsAreAllAnswered() throws Exception {
        String one = postHead(ECHO.length(), "") + ECHO;
        Exchange exchange = exchange(one + one + postHead(ECHO.length(), "Connection: close\r\n") + ECHO);
        assertThat(exchange.statuses()).containsExactly(200, 200, 200);
        assertThat(exchange.closed()).isTrue();
    }

    // ---- time and memory ----------------------------------------------------------------------------------

    @Test
    void aSlowHeadIsCutOffAndTheRelayServesOthersMeanwhile() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket s = connect();
                s.getOutputStream().write("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            long started = System.nanoTime();
            assertNormalClientServed();
            for (Socket s : slow) {
                s.getOutputStream().write('a');    // a trickle: no read deadline would catch it
            }
            Socket first = slow.getFirst();
            first.setSoTimeout(20_000);
            String answer = readAll(first.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertNormalClientServed();
    }

    @Test
    void aBodyThatDeclaresMoreThanItSendsTakesNoMemoryAndTimesOut() throws Exception {
        List<Socket> liars = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket s = connect();
                s.getOutputStream().write((postHead(1 << 20, "") + "{").getBytes(StandardCharsets.US_ASCII));
                liars.add(s);
            }
            assertNormalClientServed();
            Socket first = liars.getFirst();
            first.setSoTimeout(20_000);
            String answer = readAll(first.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("\"error\"").contains("body took longer");
        } finally {
            for (Socket s : liars) {
                s.close();
            }
        }
        assertNormalClientServed();
    }

    @Test
    void anIdleKeptAliveConnectionIsClosed() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write((postHead(ECHO.length(), "") + ECHO).getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(20_000);
            String all = readAll(s.getInputStream());    // the answer, then the end when the idle timeout closes it
            assertThat(statuses(all)).containsExactly(200);
        }
    }

    @Test
    void moreConnectionsThanTheCapEvictTheLongestWaitingAndNormalClientsAreServed() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {    // the cap is 64
                try {
                    idle.add(connect());
                } catch (IOException refused) {
                    // the accept queue may overflow: fine
                }
            }
            for (int round = 0; round < 5; round++) {
                assertNormalClientServed();
            }
            assertThat(relay.clients().evictedConnections()).isPositive();
            assertThat(relay.clients().openConnections()).isLessThanOrEqualTo(64 + 5);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertNormalClientServed();
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static String hiddenBody() {
        return "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"m\":\"HIDDEN-REQUEST\"}}}";
    }

    private static String hiddenRequest() {
        return "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session
                + "\r\nContent-Length: " + hiddenBody().length() + "\r\n\r\n" + hiddenBody();
    }

    private static int upstreamSawHidden() {
        return (int) upstream.requests().stream().filter(r -> r.body().contains("HIDDEN-REQUEST")).count();
    }

    private static String chunkedHead() {
        return "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session
                + "\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n";
    }

    private static String head(String framing) {
        return "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session
                + "\r\n" + framing + "\r\n";
    }

    private static String postHead(int length, String extra) {
        return "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session
                + "\r\n" + extra + "Content-Length: " + length + "\r\n\r\n";
    }

    private record Exchange(String text, boolean closed) {
        List<Integer> statuses() {
            return HostileConnectionsIT.statuses(text);
        }
    }

    private static List<Integer> statuses(String text) {
        List<Integer> found = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(text);
        while (m.find()) {
            found.add(Integer.parseInt(m.group(1)));
        }
        return found;
    }

    /** Sends {@code bytes} and reads until the relay closes the connection (or 10 s pass: not closed). */
    private static Exchange exchange(String bytes) throws Exception {
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException refusedEarly) {
                // answered and closed before everything was sent
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed;
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    received.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException open) {
                closed = false;
            } catch (java.net.SocketException reset) {
                closed = true;
            }
            return new Exchange(received.toString(StandardCharsets.ISO_8859_1), closed);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            while ((n = in.read(buffer)) != -1) {
                received.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // the end
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), relay.port());
    }

    /** A normal client's echo round trip, within a generous bound. */
    static void assertNormalClientServed() throws Exception {
        long started = System.nanoTime();
        Exchange exchange = exchange(postHead(ECHO.length(), "Connection: close\r\n") + ECHO);
        assertThat(exchange.statuses()).as("normal client: " + exchange.text()).containsExactly(200);
        assertThat(exchange.text()).contains("\"id\":7,\"result\"");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    private static String initialize() throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"hostile\",\"version\":\"1\"}}}";
        Exchange exchange;
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            exchange = new Exchange(readAll(socket.getInputStream()), true);
        }
        assertThat(exchange.statuses()).containsExactly(200);
        return exchange.text().lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("mcp-session-id:")).findFirst().orElseThrow()
                .substring("mcp-session-id:".length()).trim();
    }
}
