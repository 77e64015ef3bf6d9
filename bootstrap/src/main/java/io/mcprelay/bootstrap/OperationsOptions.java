package io.mcprelay.bootstrap;

import java.time.Duration;
import java.util.Objects;

/**
 * How the process is run and watched rather than what it relays: its graceful stop and its access
 * log. Kept apart from {@link RelayOptions}, which builds the relay itself.
 *
 * @param drainTimeout    on SIGTERM or SIGINT, how long requests and streams in flight may take to
 *                        finish before the streams still open are ended (cleanly, for their clients to
 *                        resume) and the process exits
 * @param accessLog       one line per request to the MCP endpoint (logger {@code mcp-relay.access})
 * @param accessLogSample the percentage (1-100) of successful requests logged; refused and failed
 *                        ones are always logged
 */
record OperationsOptions(Duration drainTimeout, boolean accessLog, int accessLogSample) {

    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    OperationsOptions {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (accessLogSample < 1 || accessLogSample > 100) {
            throw new IllegalArgumentException("accessLogSample: 1..100, not " + accessLogSample);
        }
    }

    static OperationsOptions defaults() {
        return new OperationsOptions(DEFAULT_DRAIN_TIMEOUT, false, 100);
    }

    OperationsOptions withDrainTimeout(Duration timeout) {
        return new OperationsOptions(timeout, accessLog, accessLogSample);
    }

    OperationsOptions withAccessLog(boolean enabled, int samplePercent) {
        return new OperationsOptions(drainTimeout, enabled, samplePercent);
    }
}
