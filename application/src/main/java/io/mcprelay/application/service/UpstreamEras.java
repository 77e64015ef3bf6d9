package io.mcprelay.application.service;

import io.mcprelay.domain.era.EraVerdict;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.routing.TransportKind;
import io.mcprelay.domain.session.ProtocolVersion;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * What an upstream's eras mean for routing: its configured era ({@code --upstream-era}) read
 * together with what the last {@code server/discover} probe said (docs/eras.md). Apart from
 * {@link UpstreamCatalog}, which keeps the upstreams and their state, because these are rules over
 * one upstream's state (or the lineup's) that hold whichever upstreams the catalog has.
 */
final class UpstreamEras {

    private UpstreamEras() {
    }

    /**
     * Whether {@code upstream} serves the 2026-07-28 era only (bridge (a) answers a 2025-era client's
     * {@code initialize} for it): an HTTP upstream configured {@code modern}, or configured {@code auto}
     * and probed, listing no 2025-era version.
     */
    static boolean servesOnlyModern(UpstreamRuntime upstream) {
        if (upstream.spec().target().kind() != TransportKind.HTTP) {
            return false;
        }
        return switch (upstream.spec().era()) {
            case MODERN -> true;
            case AUTO -> upstream.era().kind() == EraVerdict.Kind.MODERN && upstream.era().supportedVersions().stream()
                    .noneMatch(v -> ProtocolEra.of(v) == ProtocolEra.LEGACY);
            case LEGACY, DUAL -> false;
        };
    }

    /** Whether {@code upstream} is an HTTP upstream configured {@code auto}, whose eras a probe judges. */
    static boolean probedForEra(UpstreamRuntime upstream) {
        return upstream.spec().target().kind() == TransportKind.HTTP && upstream.spec().era() == UpstreamEra.AUTO;
    }

    /** What is known of the eras of {@code upstream}: configured, and probed. */
    static String describe(UpstreamRuntime upstream) {
        UpstreamEra configured = upstream.spec().era();
        return configured == UpstreamEra.AUTO ? "auto: " + upstream.era().describe() : configured.word();
    }

    /**
     * The versions a modern-era {@code -32022} answer lists as supported, oldest first, given the
     * {@code active} upstreams: see {@link UpstreamCatalog#versionsServed()}.
     */
    static List<String> versionsServed(Collection<UpstreamRuntime> active) {
        TreeSet<String> modern = new TreeSet<>();
        for (UpstreamRuntime u : active) {
            UpstreamEra configured = u.spec().era();
            if (configured == UpstreamEra.MODERN || configured == UpstreamEra.DUAL) {
                modern.addAll(ProtocolEra.MODERN_VERSIONS);
            } else if (configured == UpstreamEra.AUTO) {
                u.era().supportedVersions().stream()
                        .filter(v -> ProtocolEra.of(v) == ProtocolEra.MODERN)
                        .forEach(modern::add);
            }
        }
        if (!modern.isEmpty()) {
            return List.copyOf(modern);
        }
        return ProtocolVersion.SUPPORTED.stream().map(v -> v.value()).sorted().toList();
    }
}
