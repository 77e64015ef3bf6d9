package io.mcprelay.adapter.http.out;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the upstream HTTP client.
 *
 * @param connectTimeout     how long a TCP connect may take; defaults to 5 seconds
 * @param readTimeout        how long a read may wait for the upstream's next bytes (first byte of an
 *                           answer, or the next bytes of a stream); defaults to 5 minutes, longer than
 *                           any sane heartbeat interval
 * @param connectionPoolSize idle keep-alive connections kept per client; defaults to 64
 * @param maxJsonBytes       largest JSON answer read; a larger one is a protocol failure; defaults to 16 MiB
 * @param maxEventBytes      largest single SSE event; defaults to 16 MiB
 * @param maxErrorBodyBytes  how much of an error answer's body is kept; defaults to 64 KiB
 */
public record UpstreamClientConfig(Duration connectTimeout, Duration readTimeout, int connectionPoolSize,
                                   int maxJsonBytes, int maxEventBytes, int maxErrorBodyBytes) {

    public UpstreamClientConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        if (connectionPoolSize < 1 || maxJsonBytes < 1 || maxEventBytes < 1 || maxErrorBodyBytes < 1) {
            throw new IllegalArgumentException("pool size and byte limits must be positive");
        }
    }

    public static UpstreamClientConfig defaults() {
        return new UpstreamClientConfig(Duration.ofSeconds(5), Duration.ofMinutes(5), 64, 16 << 20, 16 << 20, 64 << 10);
    }

    public UpstreamClientConfig withTimeouts(Duration connect, Duration read) {
        return new UpstreamClientConfig(connect, read, connectionPoolSize, maxJsonBytes, maxEventBytes, maxErrorBodyBytes);
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
