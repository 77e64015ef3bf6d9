package io.mcprelay.adapter.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of stdio upstreams' server processes, per upstream: {@code mcp_relay_upstream_processes_alive},
 * {@code mcp_relay_upstream_process_starts_total} and {@code mcp_relay_upstream_process_exits_total{cause}}.
 * Upstream names come from the configuration and causes from a fixed set, so the labels are bounded.
 */
final class ProcessMeters {

    /** An exit that was never a start: it does not lower the count of processes alive. */
    private static final String FAILED_TO_START = "failed_to_start";

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> alive = new ConcurrentHashMap<>();

    ProcessMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void started(String upstream) {
        aliveOf(upstream).incrementAndGet();
        Counter.builder("mcp.relay.upstream.process.starts")
                .description("Server processes a stdio upstream started (one per relay session)")
                .tag("upstream", upstream)
                .register(registry)
                .increment();
    }

    void exited(String upstream, String cause) {
        if (!FAILED_TO_START.equals(cause)) {
            aliveOf(upstream).decrementAndGet();
        }
        Counter.builder("mcp.relay.upstream.process.exits")
                .description("Server processes of a stdio upstream that ended, by cause (stopped, terminated, killed,"
                        + " exited, broken, start_timeout, failed_to_start)")
                .tag("upstream", upstream)
                .tag("cause", cause)
                .register(registry)
                .increment();
    }

    private AtomicInteger aliveOf(String upstream) {
        return alive.computeIfAbsent(upstream, name -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("mcp.relay.upstream.processes.alive", count, AtomicInteger::get)
                    .description("Server processes a stdio upstream runs now")
                    .tag("upstream", name)
                    .register(registry);
            return count;
        });
    }
}
