package io.mcprelay.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A normal client measured while an attack runs against the same relay (bench/run's {@code attack}
 * phase, docs/security.md): sequential {@code tools/call} round trips, each on a new connection, for
 * a number of seconds, while {@code ATTACKERS} connections either trickle request heads that never end
 * (slowloris) or declare a 4 MiB body and send one byte of it (body preallocation). The attack
 * connections trickle a byte a second, so no per-read timeout would close them.
 *
 * <p>{@code bench.AttackClient HOST PORT none|slowloris|prealloc ATTACKERS SECONDS} prints one line:
 * {@code RESULT requests=N errors=E p50_us=.. p99_us=.. max_us=.. attackers=K}. Loopback only; the
 * attack ends with the run.
 */
public final class AttackClient {

    private static final String ECHO = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
            + "\"arguments\":{\"message\":\"hello\"}}}";

    private AttackClient() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String mode = args[2];
        int attackers = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        String session = McpSession.open(host, port);
        List<Socket> attack = new ArrayList<>();
        Thread trickler = null;
        if (!mode.equals("none")) {
            byte[] start = start(mode, host, port, session);
            for (int i = 0; i < attackers; i++) {
                try {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(host, port), 2_000);
                    s.getOutputStream().write(start);
                    attack.add(s);
                } catch (IOException refused) {
                    // the relay may refuse some: the attacker goes on with the others
                }
            }
            trickler = Thread.ofPlatform().daemon(true).start(() -> trickle(attack));
        }
        long[] latencies = new long[1 << 20];
        int n = 0;
        int errors = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end && n < latencies.length) {
            long began = System.nanoTime();
            try (Http1 http = Http1.exchange(host, port, "POST", "/mcp", Http1.mcpHeaders(session), ECHO)) {
                http.bodyText();
                if (http.status() != 200) {
                    errors++;
                    continue;
                }
            } catch (IOException e) {
                errors++;
                continue;
            }
            latencies[n++] = System.nanoTime() - began;
        }
        int open = 0;
        for (Socket s : attack) {
            open += s.isClosed() ? 0 : 1;
            s.close();
        }
        if (trickler != null) {
            trickler.interrupt();
        }
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf("RESULT requests=%d errors=%d p50_us=%d p99_us=%d max_us=%d attackers=%d%n", n, errors,
                percentile(sorted, 50), percentile(sorted, 99), n == 0 ? 0 : sorted[n - 1] / 1000, open);
    }

    private static byte[] start(String mode, String host, int port, String session) {
        String head = "POST /mcp HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: application/json, text/event-stream\r\n"
                + "Content-Type: application/json\r\nMcp-Session-Id: " + session + "\r\n";
        return switch (mode) {
            case "slowloris" -> (head + "X-Slow: ").getBytes(StandardCharsets.US_ASCII);
            case "prealloc" -> (head + "Content-Length: 4194304\r\n\r\n{").getBytes(StandardCharsets.US_ASCII);
            default -> throw new IllegalArgumentException("none, slowloris or prealloc, not " + mode);
        };
    }

    private static void trickle(List<Socket> attack) {
        while (!Thread.currentThread().isInterrupted()) {
            for (Socket s : attack) {
                try {
                    s.getOutputStream().write('a');
                } catch (IOException closedByTheRelay) {
                    // closed: it stays closed
                }
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000;
    }
}
