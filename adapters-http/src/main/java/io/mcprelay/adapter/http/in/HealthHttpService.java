package io.mcprelay.adapter.http.in;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Health on the main listener. {@code GET /health} and {@code GET /health/ready}: 200
 * {@code {"status":"UP"}} when this instance can serve (its store is reachable), else 503
 * {@code {"status":"DOWN","reason":...}}. {@code GET /health/live}: 200 while the process serves HTTP.
 * Built with a version, each answer also carries {@code "version"}.
 */
public final class HealthHttpService implements HttpService {

    private final Supplier<Optional<String>> notReady;
    private final byte[] up;
    private final String versionField;

    /** @param notReady why the instance cannot serve now, or empty when it can */
    public HealthHttpService(Supplier<Optional<String>> notReady) {
        this.notReady = Objects.requireNonNull(notReady, "notReady");
        this.versionField = "";
        this.up = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    }

    /**
     * As {@link #HealthHttpService(Supplier)}, with {@code "version"} in every answer, so a probe or an
     * operator sees which build answers.
     */
    public HealthHttpService(Supplier<Optional<String>> notReady, String version) {
        this.notReady = Objects.requireNonNull(notReady, "notReady");
        this.versionField = ",\"version\":" + new RequestId.StringId(Objects.requireNonNull(version, "version")).toJson();
        this.up = ("{\"status\":\"UP\"" + versionField + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::ready)
                .get("/ready", this::ready)
                .get("/live", this::live);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        Optional<String> problem = notReady.get();
        if (problem.isEmpty()) {
            res.send(up);
            return;
        }
        res.status(Status.SERVICE_UNAVAILABLE_503);
        res.send(("{\"status\":\"DOWN\",\"reason\":" + new RequestId.StringId(problem.get()).toJson() + versionField + "}").getBytes(StandardCharsets.UTF_8));
    }

    private void live(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.send(up);
    }
}
