package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attacks on a relay process with few descriptors and a small heap, as users run it (the jar, with
 * {@code ulimit -n} and {@code -Xmx}): slow heads beyond the descriptor limit, bodies that declare
 * 4 MiB and send a byte, and a listener that dies. A normal client is measured during and after each
 * attack; the process lives on (or, when its listener dies, exits with a failure) and its descriptors
 * come back to where they were.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileConnectionsProcessIT {

    private static final String BOTH = "application/json, text/event-stream";
    private static final String ECHO = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"m\":\"x\"}}}";
    private static final Duration GENEROUS = Duration.ofSeconds(10);

    private static StubUpstream upstream;

    @BeforeAll
    static void startUpstream() {
        upstream = MiniMcpUpstream.start();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @Test
    void slowHeadsBeyondTheDescriptorLimitDoNotStopTheRelayServing() throws Exception {
        try (RelayProcess relay = RelayProcess.startLimited(256, "256m", "--upstream", "mini=" + upstream.endpoint(), "--header-timeout", "5s")) {
            String session = initialize(relay.port());
            long baseline = descriptors(relay.pid());
            List<Socket> attack = new ArrayList<>();
            try {
                for (int i = 0; i < 1_100; i++) {
                    try {
                        Socket s = new Socket();
                        s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port()), 2_000);
                        s.getOutputStream().write("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                        attack.add(s);
                    } catch (IOException refusedOrQueueFull) {
                        // the relay may close or not yet accept some: the attacker keeps going
                    }
                }
                assertThat(relay.isAlive()).isTrue();
                for (int round = 0; round < 3; round++) {
                    assertEchoWithin(relay.port(), session, GENEROUS);
                    for (Socket s : attack) {
                        trickle(s);
                    }
                }
            } finally {
                for (Socket s : attack) {
                    s.close();
                }
            }
            assertThat(relay.isAlive()).isTrue();
            assertEchoWithin(relay.port(), session, GENEROUS);
            awaitDescriptorsNear(relay.pid(), baseline);
        }
    }

    @Test
    void bodiesThatDeclare4MiBAndSendOneByteTakeNoMemory() throws Exception {
        try (RelayProcess relay = RelayProcess.startLimited(4096, "128m", "--upstream", "mini=" + upstream.endpoint(), "--body-timeout", "20s")) {
            String session = initialize(relay.port());
            long baseline = descriptors(relay.pid());
            List<Socket> attack = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {    // 800 MiB declared against a 128 MiB heap
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port());
                    s.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\n"
                            + "Mcp-Session-Id: " + session + "\r\nContent-Length: 4194304\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                    attack.add(s);
                }
                Thread.sleep(2_000);
                assertThat(relay.isAlive()).isTrue();
                assertEchoWithin(relay.port(), session, GENEROUS);
                assertThat(rssKiB(relay.pid())).as("resident memory (KiB)").isLessThan(400 * 1024);
            } finally {
                for (Socket s : attack) {
                    s.close();
                }
            }
            assertThat(relay.isAlive()).isTrue();
            assertEchoWithin(relay.port(), session, GENEROUS);
            awaitDescriptorsNear(relay.pid(), baseline);
        }
    }

    @Test
    void aListenerThatDiesEndsTheProcessWithAFailure() throws Exception {
        // a connection limit above the descriptor limit, so accept fails with "Too many open files"
        try (RelayProcess relay = RelayProcess.startLimited(128, "256m", "--upstream", "mini=" + upstream.endpoint(), "--max-connections", "5000",
                "--header-timeout", "3s")) {
            List<Socket> attack = new ArrayList<>();
            try {
                for (int i = 0; i < 400; i++) {
                    try {
                        Socket s = new Socket();
                        s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port()), 1_000);
                        attack.add(s);
                    } catch (IOException refused) {
                        break;
                    }
                }
            } finally {
                for (Socket s : attack) {
                    s.close();
                }
            }
            OptionalInt exit = relay.exitWithin(Duration.ofSeconds(60));
            assertThat(exit).as("the process ended: " + String.join("\n", relay.output())).isPresent();
            assertThat(exit.getAsInt()).isEqualTo(Main.EXIT_BROKEN);
            assertThat(String.join("\n", relay.output())).contains("no longer accepts connections");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static void trickle(Socket s) {
        try {
            s.getOutputStream().write('a');
        } catch (IOException closedByTheRelay) {
            // evicted or timed out: as it should be
        }
    }

    private static long descriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    private static void awaitDescriptorsNear(long pid, long baseline) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long now = descriptors(pid);
        while (now > baseline + 16 && System.nanoTime() < until) {
            Thread.sleep(250);
            now = descriptors(pid);
        }
        assertThat(now).as("descriptors back near the baseline of " + baseline).isLessThanOrEqualTo(baseline + 16);
    }

    private static void assertEchoWithin(int port, String session, Duration bound) throws Exception {
        long started = System.nanoTime();
        String answer = exchange(port, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\n"
                + "Mcp-Session-Id: " + session + "\r\nConnection: close\r\nContent-Length: " + ECHO.length() + "\r\n\r\n" + ECHO);
        assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\"id\":7,\"result\"");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound);
    }

    private static String initialize(int port) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"hostile\",\"version\":\"1\"}}}";
        String answer = exchange(port, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\n"
                + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        Matcher m = Pattern.compile("(?im)^mcp-session-id:\\s*(\\S+)").matcher(answer);
        assertThat(m.find()).as(answer).isTrue();
        return m.group(1);
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                received.write(buffer, 0, n);
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }
}
