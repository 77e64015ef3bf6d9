package io.mcprelay.bootstrap;

import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.SelectionStrategy;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How upstreams are chosen, checked and bounded.
 *
 * @param strategy       how new sessions are spread (default weighted round-robin: plain
 *                       round-robin while all weights are 1)
 * @param weights        weights by upstream name (default 1 each)
 * @param health         active health checks (default every 10 s, 2 s timeout, unhealthy after 2 failures)
 * @param breaker        the circuit breaker (default opens after 5 consecutive failures, for 30 s)
 * @param maxConcurrent  requests open to one upstream at once, POST streams included (default 64; GET
 *                       streams have their own budget, {@link FairnessOptions#maxStreamsPerUpstream()})
 * @param queueTimeout   how long a request waits for one of them before 503 (default 5 s)
 * @param disabled       names of upstreams that take no new sessions (only the configuration file
 *                       can disable one: {@code enabled: false}); default none
 * @param client         the HTTP client that talks to upstreams (default {@link Client#SOCKET})
 */
record UpstreamOptions(SelectionStrategy strategy, Map<String, Integer> weights, HealthCheckPolicy health, BreakerPolicy breaker,
                       int maxConcurrent, Duration queueTimeout, Set<String> disabled, Client client) {

    /** The adapters of the upstream port that an operator can choose between. */
    enum Client {
        /** mcp-relay's own HTTP/1.1 client on pooled blocking sockets: the fast path (the default). */
        SOCKET,
        /** Helidon's WebClient: the fallback, should the built-in client misbehave with some upstream. */
        HELIDON
    }

    UpstreamOptions {
        Objects.requireNonNull(strategy, "strategy");
        weights = Map.copyOf(weights);
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(queueTimeout, "queueTimeout");
        disabled = Set.copyOf(disabled);
        Objects.requireNonNull(client, "client");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("--upstream-max-concurrent: must be at least 1");
        }
    }

    /** Every upstream enabled, the default client. */
    UpstreamOptions(SelectionStrategy strategy, Map<String, Integer> weights, HealthCheckPolicy health, BreakerPolicy breaker,
                    int maxConcurrent, Duration queueTimeout) {
        this(strategy, weights, health, breaker, maxConcurrent, queueTimeout, Set.of(), Client.SOCKET);
    }

    static UpstreamOptions defaults() {
        return new UpstreamOptions(SelectionStrategy.WEIGHTED_ROUND_ROBIN, Map.of(), HealthCheckPolicy.defaults(), BreakerPolicy.defaults(),
                64, Duration.ofSeconds(5), Set.of(), Client.SOCKET);
    }
}
