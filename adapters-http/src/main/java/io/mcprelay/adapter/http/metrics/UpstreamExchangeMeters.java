package io.mcprelay.adapter.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of each exchange with an upstream ({@link MicrometerMetricsAdapter#upstreamExchange}):
 * {@code mcp_relay_upstream_requests_total{upstream,outcome}}, {@code mcp_relay_upstream_errors_total{upstream,kind}}
 * (upstream faults only) and {@code mcp_relay_upstream_request_seconds{upstream}} (histogram, to the
 * answer's head). Upstream names are configured ones, at most {@link #MAX_UPSTREAM_LABELS} of them
 * (then {@code other}), so that a reload storm cannot grow the series without end. Meters are kept by
 * their label values once registered. Thread-safe.
 */
final class UpstreamExchangeMeters {

    private static final int MAX_UPSTREAM_LABELS = 200;

    private final MeterRegistry registry;
    private final Duration[] buckets;
    /** Upstream names used as labels so far. */
    private final Set<String> upstreamLabels = ConcurrentHashMap.newKeySet();
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    UpstreamExchangeMeters(MeterRegistry registry, Duration[] buckets) {
        this.registry = registry;
        this.buckets = buckets.clone();
    }

    /**
     * @param outcome {@code ok}, {@code client_error}, or an upstream fault ({@code server_error},
     *                {@code unreachable}, {@code dropped}, {@code timeout}, {@code protocol}, {@code saturated})
     */
    void record(String upstream, String outcome, Duration latency) {
        String name = upstreamLabels.contains(upstream) || upstreamLabels.size() < MAX_UPSTREAM_LABELS && upstreamLabels.add(upstream)
                ? upstream : RpcMethodLabel.OTHER;
        counters.computeIfAbsent(List.of("upstream.requests", name, outcome), key -> Counter.builder("mcp.relay.upstream.requests")
                .description("Exchanges with an upstream, by outcome")
                .tag("upstream", name)
                .tag("outcome", outcome)
                .register(registry)).increment();
        if (!outcome.equals("ok") && !outcome.equals("client_error")) {
            counters.computeIfAbsent(List.of("upstream.errors", name, outcome), key -> Counter.builder("mcp.relay.upstream.errors")
                    .description("Exchanges an upstream failed (5xx, unreachable, dropped, timed out, not HTTP, saturated, no credentials)")
                    .tag("upstream", name)
                    .tag("kind", outcome)
                    .register(registry)).increment();
        }
        timers.computeIfAbsent(name, key -> Timer.builder("mcp.relay.upstream.request")
                .description("Time from sending a request to an upstream to its answer's head")
                .tag("upstream", name)
                .serviceLevelObjectives(buckets)
                .register(registry)).record(latency);
    }
}
