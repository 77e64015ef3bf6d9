package io.mcprelay.bootstrap;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the process is run and watched rather than what it relays: its graceful stop, its access
 * log, its traces, and which proxies' forwarding headers it believes. Kept apart from {@link RelayOptions}, which builds the relay itself.
 *
 * @param drainTimeout    on SIGTERM or SIGINT, how long requests and streams in flight may take to
 *                        finish before the streams still open are ended (cleanly, for their clients to
 *                        resume) and the process exits
 * @param accessLog       one line per request to the MCP endpoint (logger {@code mcp-relay.access})
 * @param accessLogSample the percentage (1-100) of successful requests logged; refused and failed
 *                        ones are always logged
 * @param tracing         OpenTelemetry tracing
 * @param trustedProxies  the CIDR blocks of the proxies whose {@code X-Forwarded-*} headers are read
 *                        (appended to) rather than replaced
 */
record OperationsOptions(Duration drainTimeout, boolean accessLog, int accessLogSample, TracingOptions tracing, List<String> trustedProxies) {

    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    OperationsOptions {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(tracing, "tracing");
        trustedProxies = List.copyOf(trustedProxies);
        if (accessLogSample < 1 || accessLogSample > 100) {
            throw new IllegalArgumentException("accessLogSample: 1..100, not " + accessLogSample);
        }
    }

    static OperationsOptions defaults() {
        return new OperationsOptions(DEFAULT_DRAIN_TIMEOUT, false, 100, TracingOptions.defaults(), List.of());
    }

    OperationsOptions withDrainTimeout(Duration timeout) {
        return new OperationsOptions(timeout, accessLog, accessLogSample, tracing, trustedProxies);
    }

    OperationsOptions withAccessLog(boolean enabled, int samplePercent) {
        return new OperationsOptions(drainTimeout, enabled, samplePercent, tracing, trustedProxies);
    }

    OperationsOptions withTracing(TracingOptions options) {
        return new OperationsOptions(drainTimeout, accessLog, accessLogSample, options, trustedProxies);
    }

    OperationsOptions withTrustedProxies(List<String> cidrs) {
        return new OperationsOptions(drainTimeout, accessLog, accessLogSample, tracing, cidrs);
    }
}
