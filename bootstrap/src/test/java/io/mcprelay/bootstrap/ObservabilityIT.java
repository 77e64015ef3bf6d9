package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.mcprelay.adapter.http.in.AccessLog;
import io.mcprelay.adapter.http.testing.StubUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator watches, from a real relay over loopback: the Prometheus scrape moves as requests
 * pass (requests by HTTP and JSON-RPC method and status, sessions, per-upstream exchanges and their
 * latency, message outcomes with whose fault a failure was, configuration reloads, the drain state
 * and the client listener's counters), and the access log has one line per request with its fields.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ObservabilityIT {

    private static final String BOTH = "application/json, text/event-stream";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<LogRecord> accessLog = new CopyOnWriteArrayList<>();
    /** Held, so that the handler stays on this logger (java.util.logging keeps loggers weakly). */
    private final Logger accessLogger = Logger.getLogger(AccessLog.LOGGER);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            accessLog.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private StubUpstream upstream;
    private McpRelayServer relay;
    private ConfigReloader reloader;

    @AfterEach
    void stop() {
        accessLogger.removeHandler(capture);
        if (reloader != null) {
            reloader.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void metricsMoveAndTheAccessLogHasOneLinePerRequest(@TempDir Path dir) throws Exception {
        accessLogger.addHandler(capture);
        upstream = StubUpstream.start((req, res) -> {
            if (req.body().contains("\"refused-client\"")) {
                res.status(401).header(HeaderNames.CONTENT_TYPE, "application/json").send("{\"error\":\"unauthorized\"}");
                return;
            }
            MiniMcpUpstream.answer(req, res);
        });
        Path file = dir.resolve("mcp-relay.yaml");
        Files.writeString(file, "upstreams:\n  - name: mini\n    url: " + upstream.endpoint() + "\naccessLog:\n  enabled: true\n");
        CommandLine.Arguments arguments = CommandLine.parse("--config", file.toString(), "--port", "0");
        ConfigReloader.Source source = () -> Configuration.resolve(arguments, Map.of());
        Configuration configuration = source.load();
        assertThat(configuration.operations().accessLog()).isTrue();
        relay = McpRelayServer.start(configuration.options(), configuration.operations(), McpRelayServer.class.getClassLoader(), () -> { });
        reloader = relay.reloadFrom(file, source, configuration, Duration.ofHours(1));
        String before = scrape();
        assertThat(value(before, "mcp_relay_draining")).isEqualTo(0.0);
        assertThat(value(before, "mcp_relay_sessions_active")).isEqualTo(0.0);

        HttpResponse<String> init = post(null, initialize("observer"));
        assertThat(init.statusCode()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode()).isEqualTo(202);
        HttpResponse<String> listed = post(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertThat(listed.body()).contains("\"tools\":[]");
        assertThat(post(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"x\"}}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> notAcceptable = http.send(HttpRequest.newBuilder(mcp()).header("Accept", "text/plain")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notAcceptable.statusCode()).isEqualTo(406);
        int refusedStatus = post(null, initialize("refused-client")).statusCode();
        assertThat(refusedStatus).isGreaterThanOrEqualTo(400);
        Files.writeString(file, "upstreams:\n  - name: mini\n    url: " + upstream.endpoint() + "\n    weight: 2\naccessLog:\n  enabled: true\n");
        assertThat(reloader.reload("test")).isInstanceOf(ConfigReloader.Outcome.Applied.class);
        Files.writeString(file, "upstreams: 12\n");
        assertThat(reloader.reload("test")).isInstanceOf(ConfigReloader.Outcome.Rejected.class);

        String after = scrape();
        assertThat(value(after, "mcp_relay_requests_total{http_method=\"POST\",rpc_method=\"initialize\",status=\"200\"}")).isEqualTo(1.0);
        assertThat(value(after, "mcp_relay_requests_total{http_method=\"POST\",rpc_method=\"tools/list\",status=\"200\"}")).isEqualTo(1.0);
        assertThat(value(after, "mcp_relay_requests_total{http_method=\"POST\",rpc_method=\"none\",status=\"406\"}")).isEqualTo(1.0);
        assertThat(value(after, "mcp_relay_requests_total{http_method=\"POST\",rpc_method=\"initialize\",status=\"" + refusedStatus + "\"}"))
                .isEqualTo(1.0);
        assertThat(value(after, "mcp_relay_sessions_active")).isEqualTo(1.0);
        assertThat(value(after, "mcp_relay_upstream_requests_total{outcome=\"ok\",upstream=\"mini\"}")).isEqualTo(4.0);
        assertThat(value(after, "mcp_relay_upstream_requests_total{outcome=\"client_error\",upstream=\"mini\"}")).isEqualTo(1.0);
        assertThat(value(after, "mcp_relay_upstream_request_seconds_count{upstream=\"mini\"}")).isEqualTo(5.0);
        assertThat(after).doesNotContain("mcp_relay_upstream_errors_total{");
        assertThat(value(after, "mcp_relay_messages_total{era=\"legacy\",fault=\"none\",outcome=\"ok\",rpc_method=\"initialize\"}"))
                .as("the initialize the upstream refused is no success").isEqualTo(1.0);
        assertThat(after).containsPattern("mcp_relay_messages_total\\{era=\"legacy\",fault=\"client\",outcome=\"[a-z_0-9]+\",rpc_method=\"initialize\"} 1.0");
        assertThat(value(after, "mcp_relay_config_reloads_total{result=\"ok\"}")).isEqualTo(1.0);
        assertThat(value(after, "mcp_relay_config_reloads_total{result=\"failed\"}")).isEqualTo(1.0);
        assertThat(value(after, "mcp_relay_client_connections_total{event=\"refused\"}")).isEqualTo(0.0);
        assertThat(after).contains("mcp_relay_client_connections_open ").contains("mcp_relay_requests_in_flight ")
                .contains("mcp_relay_upstream_health{state=\"healthy\",upstream=\"mini\"}").doesNotContain("mcp_relay_upstream_healthy");

        List<String> lines = accessLog.stream().map(r -> String.valueOf(r.getParameters()[0])).toList();
        assertThat(lines).as("one line per request").hasSize(6);
        assertThat(lines.get(0)).startsWith("127.0.0.1 POST initialize 200 ").contains("session=" + session).contains("upstream=mini")
                .contains("duration_ms=");
        assertThat(lines.get(2)).startsWith("127.0.0.1 POST tools/list 200 ").contains("upstream=mini").contains("events=2")
                .contains("session=" + session);
        assertThat(lines.get(4)).startsWith("127.0.0.1 POST - 406 ").contains("refusal=not_acceptable");
        assertThat(lines.get(5)).startsWith("127.0.0.1 POST initialize " + refusedStatus + " ").contains("outcome=");
    }

    private String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the series named exactly {@code series} (name and labels as exposed). */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(series + " in\n" + scrape.lines().filter(l -> l.startsWith("mcp_relay")).toList()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private HttpResponse<String> post(String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp()).timeout(Duration.ofSeconds(20)).header("Accept", BOTH)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String initialize(String client) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"" + client + "\",\"version\":\"1\"}}}";
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }
}
