package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.out.UpstreamClientConfig;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.era.UpstreamEra;
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
 * @param headTimeout    how long an upstream's whole response head may take once its first byte came
 *                       (default 30 s): bounds an upstream that trickles its head a byte at a time
 * @param maxJsonBytes   the largest JSON answer read from an upstream; a larger one is refused with 502
 *                       (default 16 MiB)
 * @param stdioMaxProcesses server processes one stdio upstream may run at once, one per session (default 64)
 * @param stdioStartTimeout how long a stdio upstream's new process has to answer {@code initialize} (default 30 s)
 * @param eras           the eras configured by upstream name (default {@code auto}: probed with {@code server/discover})
 * @param bridgeLegacy   whether a 2026-07-28 request no upstream serves in its era is carried in upstream sessions
 *                       mcp-relay holds (bridge (b)) instead of refused with -32022 (default {@code false})
 */
record UpstreamOptions(SelectionStrategy strategy, Map<String, Integer> weights, HealthCheckPolicy health, BreakerPolicy breaker,
                       int maxConcurrent, Duration queueTimeout, Set<String> disabled, Client client, Duration headTimeout,
                       int maxJsonBytes, int stdioMaxProcesses, Duration stdioStartTimeout, Map<String, UpstreamEra> eras,
                       boolean bridgeLegacy) {

    /** Without the bridge to legacy-only upstreams. */
    UpstreamOptions(SelectionStrategy strategy, Map<String, Integer> weights, HealthCheckPolicy health, BreakerPolicy breaker,
                    int maxConcurrent, Duration queueTimeout, Set<String> disabled, Client client, Duration headTimeout,
                    int maxJsonBytes, int stdioMaxProcesses, Duration stdioStartTimeout, Map<String, UpstreamEra> eras) {
        this(strategy, weights, health, breaker, maxConcurrent, queueTimeout, disabled, client, headTimeout, maxJsonBytes,
                stdioMaxProcesses, stdioStartTimeout, eras, false);
    }

    /** The same options with the bridge to legacy-only upstreams on or off ({@code --bridge-legacy}). */
    UpstreamOptions withBridgeLegacy(boolean on) {
        return new UpstreamOptions(strategy, weights, health, breaker, maxConcurrent, queueTimeout, disabled, client, headTimeout, maxJsonBytes,
                stdioMaxProcesses, stdioStartTimeout, eras, on);
    }

    /** Every upstream's eras probed ({@code era: auto}). */
    UpstreamOptions(SelectionStrategy strategy, Map<String, Integer> weights, HealthCheckPolicy health, BreakerPolicy breaker,
                    int maxConcurrent, Duration queueTimeout, Set<String> disabled, Client client, Duration headTimeout,
                    int maxJsonBytes, int stdioMaxProcesses, Duration stdioStartTimeout) {
        this(strategy, weights, health, breaker, maxConcurrent, queueTimeout, disabled, client, headTimeout, maxJsonBytes,
                stdioMaxProcesses, stdioStartTimeout, Map.of());
    }

    /** The same options with the eras configured per upstream name ({@code upstreams[].era}, {@code --upstream-era}). */
    UpstreamOptions withEras(Map<String, UpstreamEra> configured) {
        return new UpstreamOptions(strategy, weights, health, breaker, maxConcurrent, queueTimeout, disabled, client, headTimeout, maxJsonBytes,
                stdioMaxProcesses, stdioStartTimeout, Map.copyOf(configured), bridgeLegacy);
    }

    static final int DEFAULT_STDIO_MAX_PROCESSES = 64;
    static final Duration DEFAULT_STDIO_START_TIMEOUT = Duration.ofSeconds(30);

    static final Duration DEFAULT_HEAD_TIMEOUT = UpstreamClientConfig.DEFAULT_HEAD_TIMEOUT;
    static final int DEFAULT_MAX_JSON_BYTES = UpstreamClientConfig.DEFAULT_MAX_JSON_BYTES;

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
        Objects.requireNonNull(headTimeout, "headTimeout");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("--upstream-max-concurrent: must be at least 1");
        }
        if (headTimeout.isNegative() || headTimeout.isZero()) {
            throw new IllegalArgumentException("--upstream-head-timeout: must be positive");
        }
        if (maxJsonBytes < 1) {
            throw new IllegalArgumentException("--upstream-max-json-bytes: must be at least 1");
        }
        if (stdioMaxProcesses < 1) {
            throw new IllegalArgumentException("--stdio-max-processes: must be at least 1");
        }
        Objects.requireNonNull(stdioStartTimeout, "stdioStartTimeout");
    }

    /** The default bounds of stdio upstreams. */
    UpstreamOptions(SelectionStrategy strategy, Map<String, Integer> weights, HealthCheckPolicy health, BreakerPolicy breaker,
                    int maxConcurrent, Duration queueTimeout, Set<String> disabled, Client client, Duration headTimeout,
                    int maxJsonBytes) {
        this(strategy, weights, health, breaker, maxConcurrent, queueTimeout, disabled, client, headTimeout, maxJsonBytes,
                DEFAULT_STDIO_MAX_PROCESSES, DEFAULT_STDIO_START_TIMEOUT);
    }

    /** The same options with other bounds on stdio upstreams' processes. */
    UpstreamOptions withStdio(int maxProcesses, Duration startTimeout) {
        return new UpstreamOptions(strategy, weights, health, breaker, maxConcurrent, queueTimeout, disabled, client, headTimeout, maxJsonBytes,
                maxProcesses, startTimeout, eras, bridgeLegacy);
    }

    /** The default limits on an upstream's answers. */
    UpstreamOptions(SelectionStrategy strategy, Map<String, Integer> weights, HealthCheckPolicy health, BreakerPolicy breaker,
                    int maxConcurrent, Duration queueTimeout, Set<String> disabled, Client client) {
        this(strategy, weights, health, breaker, maxConcurrent, queueTimeout, disabled, client, DEFAULT_HEAD_TIMEOUT, DEFAULT_MAX_JSON_BYTES);
    }

    /** The same options with other limits on an upstream's answers. */
    UpstreamOptions withAnswerLimits(Duration headTimeout, int maxJsonBytes) {
        return new UpstreamOptions(strategy, weights, health, breaker, maxConcurrent, queueTimeout, disabled, client, headTimeout, maxJsonBytes,
                stdioMaxProcesses, stdioStartTimeout, eras, bridgeLegacy);
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
