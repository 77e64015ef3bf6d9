package io.mcprelay.adapter.http.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The meters of a {@link MicrometerMetricsAdapter} read at each scrape from the running relay
 * ({@link MicrometerMetricsAdapter#bindGauges}): {@code mcp_relay_sessions_active},
 * {@code mcp_relay_draining}, {@code mcp_relay_requests_in_flight},
 * {@code mcp_relay_client_connections_open} and {@code mcp_relay_client_connections_total{event}}.
 */
final class ListenerMeters {

    private ListenerMeters() {
    }

    /** Registers them on {@code registry}, read from {@code listener} and {@code sessions} (a failure to read: NaN). */
    static void bind(MeterRegistry registry, MicrometerMetricsAdapter.ListenerGauges listener, LongSupplier sessions) {
        Gauge.builder("mcp.relay.sessions.active", () -> {
                    try {
                        return sessions.getAsLong();
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description("Sessions open now (with a shared store: of every instance)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("mcp.relay.draining", () -> listener.draining().getAsBoolean() ? 1 : 0)
                .description("1 while this instance drains (shutting down: readiness fails, new sessions are refused), else 0")
                .strongReference(true)
                .register(registry);
        Gauge.builder("mcp.relay.requests.in.flight", () -> listener.inFlight().getAsInt())
                .description("Requests to the MCP endpoint in flight now, open streams included")
                .strongReference(true)
                .register(registry);
        Gauge.builder("mcp.relay.client.connections.open", () -> listener.openConnections().getAsInt())
                .description("Client connections open to the main listener now")
                .strongReference(true)
                .register(registry);
        Map<String, LongSupplier> events = Map.of("refused", listener.refused(), "evicted", listener.evicted(),
                "timed_out", listener.timedOut());
        events.forEach((event, count) -> FunctionCounter.builder("mcp.relay.client.connections", count, LongSupplier::getAsLong)
                .description("Client connections the main listener refused (over --max-connections), evicted (for a new one"
                        + " when full) or timed out (header, body or idle timeout)")
                .tag("event", event)
                .register(registry));
    }
}
