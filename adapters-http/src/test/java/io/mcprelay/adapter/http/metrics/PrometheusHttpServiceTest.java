package io.mcprelay.adapter.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusHttpServiceTest {

    private final MicrometerMetricsAdapter metrics = new MicrometerMetricsAdapter();
    private final WebServer server = WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .routing(r -> r.register("/metrics", new PrometheusHttpService(metrics)))
            .build()
            .start();

    @AfterEach
    void stop() {
        server.stop();
        metrics.close();
    }

    @Test
    void servesTheScrapeTextOverHttp() throws Exception {
        metrics.eventRelayed();
        metrics.eventRelayed();

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body().lines()).contains("mcp_relay_events_relayed_total 2.0")
                .anyMatch(line -> line.startsWith("# TYPE mcp_relay_events_relayed_total counter"));
    }

    @Test
    void answersOnlyGet() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("")).build());

        assertThat(response.statusCode()).isNotEqualTo(200);
        assertThat(response.body()).doesNotContain("mcp_relay_");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
