package io.mcprelay.adapter.http.in;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits on client connections, kept by {@link ClientConnections} (docs/security.md).
 *
 * @param headerTimeout  longest time from a request's first byte (or from accepting the connection,
 *                       for its first request) to the end of its head; then 408 and close
 * @param bodyTimeout    longest time from the end of a head to the end of its body; then 408 and close
 * @param idleTimeout    longest wait for the next request on a kept-alive connection; then close
 * @param maxConnections client connections open at once; at the limit a new connection takes the place
 *                       of the one that has waited longest for a request head, or is closed at once
 *                       when every connection is busy with a request
 */
public record ClientLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections) {

    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);
    /** The most connections allowed by default, however many descriptors the process may open. */
    public static final int DEFAULT_MAX_CONNECTIONS_CEILING = 20_000;
    /** Descriptors left for everything that is not a client connection before halving (upstreams, files, Redis). */
    static final long RESERVED_DESCRIPTORS = 64;

    public ClientLimits {
        positive(headerTimeout, "headerTimeout");
        positive(bodyTimeout, "bodyTimeout");
        positive(idleTimeout, "idleTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
    }

    /**
     * The default connection limit for a process that may open {@code maxDescriptors} files: half of
     * what is left after a reserve (each client connection may hold an upstream connection too),
     * at most {@value #DEFAULT_MAX_CONNECTIONS_CEILING}, at least 16. Staying under the descriptor
     * limit keeps {@code accept} from failing with "Too many open files", which ends Helidon's listener.
     */
    public static int defaultMaxConnections(long maxDescriptors) {
        if (maxDescriptors <= 0) {
            return DEFAULT_MAX_CONNECTIONS_CEILING;
        }
        return (int) Math.max(16, Math.min(DEFAULT_MAX_CONNECTIONS_CEILING, (maxDescriptors - RESERVED_DESCRIPTORS) / 2));
    }

    /** The defaults, with the connection limit derived from {@code maxDescriptors}. */
    public static ClientLimits defaults(long maxDescriptors) {
        return new ClientLimits(DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_TIMEOUT, DEFAULT_IDLE_TIMEOUT, defaultMaxConnections(maxDescriptors));
    }

    /** The most files this process may open ({@code ulimit -n}), or -1 when the JVM cannot tell. */
    public static long maxDescriptors() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
