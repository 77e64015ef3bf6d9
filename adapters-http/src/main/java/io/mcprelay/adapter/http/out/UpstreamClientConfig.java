package io.mcprelay.adapter.http.out;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the upstream HTTP client. Each upstream (by {@code UpstreamTarget.name()}) gets its own
 * client, connection pool and concurrency bound built from these settings.
 *
 * @param connectTimeout     how long a TCP connect may take; defaults to 5 seconds
 * @param readTimeout        how long one read may wait for the upstream's next bytes. It is both the
 *                           <em>first-byte</em> timeout (the wait for the status line after the request
 *                           was sent) and the <em>idle</em> timeout of a body or event stream (the wait
 *                           between two reads), never a bound on a whole stream; defaults to 5 minutes,
 *                           longer than any sane heartbeat interval. The built-in client also bounds the
 *                           write of a request by it (an upstream that stopped reading)
 * @param connectionPoolSize idle keep-alive connections kept per upstream; more may be open while in use,
 *                           up to {@code maxConcurrent}; defaults to 64
 * @param maxConcurrent      requests in flight per upstream (POST and DELETE, a POST answered with an event
 *                           stream included), from sending the request until the answer is read whole or,
 *                           for a stream or pass-through body, until it is closed; defaults to 64
 * @param maxStreams         GET event streams open per upstream (standalone streams and re-attached ones), a
 *                           budget of their own so that long-lived streams never take the places short
 *                           requests need; defaults to 256
 * @param queueTimeout       how long an exchange waits for one of the {@code maxConcurrent} places before it
 *                           is refused as saturated without being sent; zero refuses at once; defaults to
 *                           5 seconds
 * @param maxJsonBytes       largest JSON answer read; a larger one is a protocol failure (the client gets 502),
 *                           refused at once when its {@code Content-Length} says so; memory is taken as the
 *                           bytes arrive, never at a declared size; defaults to 16 MiB
 * @param maxEventBytes      largest single SSE event; defaults to 16 MiB
 * @param maxErrorBodyBytes  how much of an error answer's body is kept; defaults to 64 KiB
 * @param headTimeout        how long the whole response head (status line, headers, interim 1xx answers)
 *                           may take once its first byte came: the read timeout restarts with every byte, so
 *                           without this an upstream that trickles its head a byte at a time would hold the
 *                           exchange for hours. The built-in client counts it from the head's first byte (the
 *                           wait for that byte is the read timeout's); Helidon's, which does not tell when that
 *                           byte came, from sending the request, on top of the read timeout. Defaults to 30 s
 */
public record UpstreamClientConfig(Duration connectTimeout, Duration readTimeout, int connectionPoolSize,
                                   int maxConcurrent, int maxStreams, Duration queueTimeout,
                                   int maxJsonBytes, int maxEventBytes, int maxErrorBodyBytes, Duration headTimeout) {

    /** The default of {@link #headTimeout()}. */
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(30);
    /** The default of {@link #maxJsonBytes()}. */
    public static final int DEFAULT_MAX_JSON_BYTES = 16 << 20;

    public UpstreamClientConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(queueTimeout, "queueTimeout");
        Objects.requireNonNull(headTimeout, "headTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        requirePositive(headTimeout, "headTimeout");
        if (queueTimeout.isNegative()) {
            throw new IllegalArgumentException("queueTimeout must not be negative");
        }
        if (connectionPoolSize < 1 || maxConcurrent < 1 || maxStreams < 1) {
            throw new IllegalArgumentException("pool size and concurrency limit must be positive");
        }
        if (maxJsonBytes < 1 || maxEventBytes < 1 || maxErrorBodyBytes < 1) {
            throw new IllegalArgumentException("byte limits must be positive");
        }
    }

    public static UpstreamClientConfig defaults() {
        return new UpstreamClientConfig(Duration.ofSeconds(5), Duration.ofMinutes(5), 64, 64, 256, Duration.ofSeconds(5),
                DEFAULT_MAX_JSON_BYTES, 16 << 20, 64 << 10, DEFAULT_HEAD_TIMEOUT);
    }

    public UpstreamClientConfig withTimeouts(Duration connect, Duration read) {
        return new UpstreamClientConfig(connect, read, connectionPoolSize, maxConcurrent, maxStreams, queueTimeout,
                maxJsonBytes, maxEventBytes, maxErrorBodyBytes, headTimeout);
    }

    /** The same settings with another bound on concurrent exchanges per upstream and wait for a place. */
    public UpstreamClientConfig withConcurrency(int maxConcurrent, Duration queueTimeout) {
        return new UpstreamClientConfig(connectTimeout, readTimeout, connectionPoolSize, maxConcurrent, maxStreams, queueTimeout,
                maxJsonBytes, maxEventBytes, maxErrorBodyBytes, headTimeout);
    }

    /** The same settings with another bound on GET event streams open per upstream. */
    public UpstreamClientConfig withMaxStreams(int maxStreams) {
        return new UpstreamClientConfig(connectTimeout, readTimeout, connectionPoolSize, maxConcurrent, maxStreams, queueTimeout,
                maxJsonBytes, maxEventBytes, maxErrorBodyBytes, headTimeout);
    }

    /** The same settings with another number of idle keep-alive connections kept per upstream. */
    public UpstreamClientConfig withConnectionPoolSize(int connectionPoolSize) {
        return new UpstreamClientConfig(connectTimeout, readTimeout, connectionPoolSize, maxConcurrent, maxStreams, queueTimeout,
                maxJsonBytes, maxEventBytes, maxErrorBodyBytes, headTimeout);
    }

    /** The same settings with another deadline for a response head and another bound on a JSON answer. */
    public UpstreamClientConfig withAnswerLimits(Duration headTimeout, int maxJsonBytes) {
        return new UpstreamClientConfig(connectTimeout, readTimeout, connectionPoolSize, maxConcurrent, maxStreams, queueTimeout,
                maxJsonBytes, maxEventBytes, maxErrorBodyBytes, headTimeout);
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
