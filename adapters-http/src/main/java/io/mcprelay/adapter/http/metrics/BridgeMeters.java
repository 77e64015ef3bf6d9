package io.mcprelay.adapter.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of bridge (b), 2026-07-28 clients in front of 2025-era upstreams: the upstream sessions it holds
 * ({@code mcp_relay_bridge_sessions_open}, {@code mcp_relay_bridge_sessions_opened_total},
 * {@code mcp_relay_bridge_sessions_closed_total{reason}}) and the calls parked on an upstream's question
 * ({@code mcp_relay_bridge_calls_parked}, {@code mcp_relay_bridge_calls_unparked_total{outcome}}). Reasons and
 * outcomes come from fixed sets, so the labels are bounded.
 */
final class BridgeMeters {

    private final MeterRegistry registry;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger parked = new AtomicInteger();
    private final Counter opened;

    BridgeMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("mcp.relay.bridge.sessions.open", sessions, AtomicInteger::get)
                .description("Upstream sessions bridge (b) holds now (leased, idle or parked)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("mcp.relay.bridge.calls.parked", parked, AtomicInteger::get)
                .description("Bridged calls waiting for their client's input_required retry now")
                .strongReference(true)
                .register(registry);
        opened = Counter.builder("mcp.relay.bridge.sessions.opened")
                .description("Upstream sessions bridge (b) opened")
                .register(registry);
    }

    void sessionOpened() {
        sessions.incrementAndGet();
        opened.increment();
    }

    void sessionClosed(String reason) {
        sessions.decrementAndGet();
        Counter.builder("mcp.relay.bridge.sessions.closed")
                .description("Upstream sessions bridge (b) let go of, by reason (lost, ended, idle, stopped)")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    void callParked() {
        parked.incrementAndGet();
    }

    void callUnparked(String outcome) {
        parked.decrementAndGet();
        Counter.builder("mcp.relay.bridge.calls.unparked")
                .description("Parked bridged calls that left the parking, by outcome (retried, expired, abandoned, stopped)")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
