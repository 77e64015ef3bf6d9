package io.mcprelay.domain.era;

import java.util.Locale;
import java.util.Optional;

/**
 * Which eras an upstream is configured to serve ({@code era:} of an upstream). {@link #AUTO}, the
 * default, judges it from a {@code server/discover} probe ({@link EraVerdict}); the others override
 * the probe, which is then never sent.
 */
public enum UpstreamEra {
    /** Probe it: {@code server/discover}, judged as a dual-era client would. */
    AUTO,
    /** 2025-era only: modern requests never go to it. */
    LEGACY,
    /** 2026-07-28 only: it takes modern requests (and legacy ones, for which it answers for itself). */
    MODERN,
    /** Both eras on one endpoint. */
    DUAL;

    /** The configuration word: {@code auto}, {@code legacy}, {@code modern} or {@code dual}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The era named by a configuration word, case-insensitively; empty for anything else. */
    public static Optional<UpstreamEra> parse(String word) {
        for (UpstreamEra era : values()) {
            if (era.word().equalsIgnoreCase(word.strip())) {
                return Optional.of(era);
            }
        }
        return Optional.empty();
    }

    /** Whether modern requests for {@code version} may go to an upstream configured so that a probe said {@code probed}. */
    public boolean servesModern(EraVerdict probed, String version) {
        return switch (this) {
            case MODERN, DUAL -> true;
            case LEGACY -> false;
            case AUTO -> probed.servesModern(version);
        };
    }

    /** Whether the upstream must be probed before a modern request can be placed (configured {@code auto}, never judged). */
    public boolean needsProbe(EraVerdict probed) {
        return this == AUTO && probed.kind() == EraVerdict.Kind.UNKNOWN;
    }
}
