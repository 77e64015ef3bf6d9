package io.mcprelay.domain.session;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An MCP protocol revision, named by its date ({@code 2025-06-18}). The proxy accepts the revisions
 * in {@link #SUPPORTED}: those of the session-based Streamable HTTP transport.
 */
public record ProtocolVersion(String value) implements Comparable<ProtocolVersion> {

    public static final ProtocolVersion V2024_11_05 = new ProtocolVersion("2024-11-05");
    public static final ProtocolVersion V2025_03_26 = new ProtocolVersion("2025-03-26");
    public static final ProtocolVersion V2025_06_18 = new ProtocolVersion("2025-06-18");
    public static final ProtocolVersion V2025_11_25 = new ProtocolVersion("2025-11-25");

    /** Revisions a client may name in {@code MCP-Protocol-Version}, oldest first. */
    public static final List<ProtocolVersion> SUPPORTED = List.of(V2024_11_05, V2025_03_26, V2025_06_18, V2025_11_25);

    /** What the protocol says to assume when a request carries no {@code MCP-Protocol-Version}. */
    public static final ProtocolVersion ASSUMED_WHEN_ABSENT = V2025_03_26;

    public ProtocolVersion {
        Objects.requireNonNull(value, "value");
        if (!value.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new IllegalArgumentException("a protocol version is a date, YYYY-MM-DD: " + value);
        }
    }

    /** The supported revision named {@code text}, or empty when the text names none. */
    public static Optional<ProtocolVersion> supported(String text) {
        return SUPPORTED.stream().filter(v -> v.value.equals(text)).findFirst();
    }

    /** JSON-RPC batches in a POST body were allowed up to 2025-03-26 and removed in 2025-06-18. */
    public boolean allowsBatching() {
        return compareTo(V2025_03_26) <= 0;
    }

    /** Since 2025-11-25 a server primes each SSE stream with an event that has an id and empty data. */
    public boolean expectsPriming() {
        return compareTo(V2025_11_25) >= 0;
    }

    @Override
    public int compareTo(ProtocolVersion other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
