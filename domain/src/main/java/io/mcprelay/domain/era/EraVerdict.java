package io.mcprelay.domain.era;

import java.util.List;
import java.util.Objects;

/**
 * What a {@code server/discover} probe said of an upstream's eras, judged as the official SDK's
 * dual-era client judges its probe (design note §4): a discover result listing a modern version is
 * {@link Kind#MODERN}; any JSON-RPC error (a legacy server's {@code -32000} "session required", a
 * {@code -32601}, a {@code -32022} listing legacy versions) and any other refusal the upstream judged
 * is {@link Kind#LEGACY}; a failure (unreachable, timed out, 5xx) says nothing: {@link Kind#UNKNOWN},
 * and the previous verdict stands.
 *
 * @param kind              the judgement
 * @param supportedVersions the versions a modern upstream listed (empty otherwise)
 */
public record EraVerdict(Kind kind, List<String> supportedVersions) {

    /** Not probed yet, or every probe failed. */
    public static final EraVerdict UNKNOWN = new EraVerdict(Kind.UNKNOWN, List.of());
    /** Serves the 2025 era only. */
    public static final EraVerdict LEGACY = new EraVerdict(Kind.LEGACY, List.of());

    /** The three judgements. */
    public enum Kind { UNKNOWN, LEGACY, MODERN }

    public EraVerdict {
        Objects.requireNonNull(kind, "kind");
        supportedVersions = List.copyOf(supportedVersions);
    }

    /**
     * The verdict on a discover result listing {@code versions}: modern when one of them is a modern
     * version, legacy otherwise (a 2xx that is no discover result has no versions).
     */
    public static EraVerdict ofDiscoverResult(List<String> versions) {
        if (versions.stream().anyMatch(v -> ProtocolEra.of(v) == ProtocolEra.MODERN)) {
            return new EraVerdict(Kind.MODERN, versions);
        }
        return LEGACY;
    }

    /** Whether a modern request for {@code version} may go to this upstream: it listed that version. */
    public boolean servesModern(String version) {
        return kind == Kind.MODERN && supportedVersions.contains(version);
    }

    /** The verdict to keep after a new probe: a failed probe keeps what was known. */
    public EraVerdict updatedBy(EraVerdict probe) {
        return probe.kind == Kind.UNKNOWN ? this : probe;
    }

    /** For people and the admin API: {@code modern (2026-07-28, 2025-11-25)}, {@code legacy} or {@code unknown}. */
    public String describe() {
        return switch (kind) {
            case UNKNOWN -> "unknown";
            case LEGACY -> "legacy";
            case MODERN -> "modern (" + String.join(", ", supportedVersions) + ")";
        };
    }
}
