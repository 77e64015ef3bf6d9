package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcprelay.adapter.http.testing.StubUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/mcp-relay.json queries only what the relay exports: every metric its PromQL names,
 * with every label its matchers use, is in the {@code /metrics} of a real relay after some traffic
 * (a session, a JSON call, an event stream, a refused body). A renamed metric or label fails here.
 */
class GrafanaDashboardProcessIT {

    private static final String JSON = "application/json, text/event-stream";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    /** Labels Prometheus adds to every series it scrapes, not the relay. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    @Test
    void everyMetricAndLabelTheDashboardQueriesIsExportedByARelayThatServedTraffic() throws Exception {
        List<String> queries = queries(new ObjectMapper().readTree(DeploymentFiles.root().resolve("deploy/grafana/mcp-relay.json").toFile()));
        Map<String, Set<String>> exported;
        try (StubUpstream upstream = MiniMcpUpstream.start(); RelayProcess relay = RelayProcess.start("--upstream", upstream.endpoint().toString())) {
            serveSomeTraffic(relay);
            exported = labelsByMetric(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + relay.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
        }

        Set<String> queried = new HashSet<>();
        for (String query : queries) {
            for (PromQlSelectors.Selector selector : PromQlSelectors.of(query)) {
                queried.add(selector.metric());
                assertThat(exported).as("metric of: %s", query).containsKey(selector.metric());
                Set<String> labels = new HashSet<>(selector.labels());
                labels.removeAll(TARGET_LABELS);
                assertThat(exported.get(selector.metric())).as("labels of %s in: %s", selector.metric(), query).containsAll(labels);
            }
        }
        assertThat(queried).as("the panels the issue asks for").contains("mcp_relay_messages_total", "mcp_relay_message_seconds_bucket",
                "mcp_relay_streams_open", "mcp_relay_upstream_healthy", "mcp_relay_upstream_in_flight", "jvm_memory_used_bytes");
    }

    /** Every PromQL expression of the dashboard: panel targets, rows' panels, template variables. */
    private static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        });
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(target -> queries.add(target.path("expr").asText()));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                queries.add(variable.path("definition").asText());
            }
        }
        assertThat(queries).as("queries found").hasSizeGreaterThan(10).allSatisfy(q -> assertThat(q).isNotBlank());
        return queries;
    }

    private static Map<String, Set<String>> labelsByMetric(String exposition) {
        Map<String, Set<String>> metrics = new HashMap<>();
        for (String line : exposition.lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            Set<String> labels = metrics.computeIfAbsent(sample.group(1), name -> new HashSet<>());
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return metrics;
    }

    /** A session, a JSON call, an event-stream answer, and a body that is not JSON. */
    private static void serveSomeTraffic(RelayProcess relay) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> init = http.send(post(relay, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"grafana\",\"version\":\"1\"}}}"),
                HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(post(relay, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> call = http.send(post(relay, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}"),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> list = http.send(post(relay, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}"),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> garbage = http.send(post(relay, session, "not json"), HttpResponse.BodyHandlers.ofString());
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"tools\":[]");
        assertThat(garbage.statusCode()).isEqualTo(400);
    }

    private static HttpRequest post(RelayProcess relay, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(relay.mcp()).header("Accept", JSON).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return request.build();
    }
}
