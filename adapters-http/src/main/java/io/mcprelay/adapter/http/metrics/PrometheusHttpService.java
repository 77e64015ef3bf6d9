package io.mcprelay.adapter.http.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Prometheus' scrape endpoint, meant for {@code /metrics}: {@code GET /} answers 200 with every meter
 * of a {@link MicrometerMetricsAdapter} in the text exposition format 0.0.4.
 */
public final class PrometheusHttpService implements HttpService {

    /** The content type of the Prometheus text format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final MicrometerMetricsAdapter metrics;

    public PrometheusHttpService(MicrometerMetricsAdapter metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::scrape);
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
