package io.mcprelay.application.port.out;

import io.mcprelay.domain.era.EraVerdict;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.routing.UpstreamHealth;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream as operators see it: configuration, health, breaker, load, protocol eras and its
 * latest errors.
 *
 * @param name         the upstream's name
 * @param endpoint     where it is, for people: its MCP endpoint's URL, or the command line of a stdio upstream
 * @param weight       its weight for new sessions
 * @param enabled      whether it takes new sessions at all
 * @param health       the active checks' verdict (UNKNOWN before the first probe)
 * @param breaker      the circuit breaker's state: CLOSED, OPEN or HALF_OPEN
 * @param inFlight     requests and streams open to it now
 * @param recentErrors its latest failures, newest first (at most 20)
 * @param drained      whether an operator drained it: no new sessions, its sessions continue
 * @param exchanges    requests and streams to it that ended, since it was configured on this instance
 * @param failures     of those, the ones that failed (timeouts, connection errors, 5xx)
 * @param lastCheck    when the latest health probe ran, empty before the first
 * @param healthSince  since when its health has been what it is now (when it was configured, before any change)
 * @param era          which protocol eras it serves, configured or probed
 */
public record UpstreamStatus(String name, String endpoint, int weight, boolean enabled, UpstreamHealth health, String breaker,
                             int inFlight, List<RecentError> recentErrors, boolean drained, long exchanges, long failures,
                             Optional<Instant> lastCheck, Instant healthSince, Era era) {

    public UpstreamStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(lastCheck, "lastCheck");
        Objects.requireNonNull(healthSince, "healthSince");
        Objects.requireNonNull(era, "era");
        recentErrors = List.copyOf(recentErrors);
    }

    /** An HTTP upstream at {@code endpoint}, not drained, with no counts and no probe yet, in its health since the epoch: for tests and simple views. */
    public UpstreamStatus(String name, URI endpoint, int weight, boolean enabled, UpstreamHealth health, String breaker, int inFlight,
                          List<RecentError> recentErrors) {
        this(name, endpoint.toString(), weight, enabled, health, breaker, inFlight, recentErrors, false, 0, 0, Optional.empty(), Instant.EPOCH,
                Era.NOT_PROBED);
    }

    /**
     * What is known of an upstream's protocol eras (docs/eras.md).
     *
     * @param configured its {@code era:} setting; anything but {@code auto} overrides the probe
     * @param probed     what the latest useful {@code server/discover} probe said ({@code UNKNOWN} before
     *                   one, or while every probe failed); {@code UNKNOWN} for an upstream never probed
     * @param probedAt   when it was last probed (a failed probe too), empty if never
     * @param stdio      whether it is a stdio upstream, which takes 2025-era sessions only and is never probed
     */
    public record Era(UpstreamEra configured, EraVerdict probed, Optional<Instant> probedAt, boolean stdio) {

        /** An HTTP upstream configured {@code auto}, not probed yet. */
        public static final Era NOT_PROBED = new Era(UpstreamEra.AUTO, EraVerdict.UNKNOWN, Optional.empty(), false);

        public Era {
            Objects.requireNonNull(configured, "configured");
            Objects.requireNonNull(probed, "probed");
            Objects.requireNonNull(probedAt, "probedAt");
        }

        /**
         * Which eras it takes requests of, as one word: {@code legacy}, {@code modern}, {@code dual} when
         * configured so; for {@code auto}, the probe's verdict ({@code modern}, {@code legacy}, or
         * {@code unknown} while no probe could tell); {@code legacy} for stdio.
         */
        public String serves() {
            if (stdio) {
                return "legacy";
            }
            return configured == UpstreamEra.AUTO ? probed.kind().name().toLowerCase(java.util.Locale.ROOT) : configured.word();
        }

        /** For people: {@code modern (2026-07-28, 2025-11-25), probed}, {@code legacy, configured}, {@code unknown, not probed yet}. */
        public String describe() {
            if (stdio) {
                return "legacy (stdio)";
            }
            if (configured != UpstreamEra.AUTO) {
                return configured.word() + ", configured";
            }
            if (probedAt.isEmpty()) {
                return "unknown, not probed yet";
            }
            return probed.describe() + (probed.kind() == EraVerdict.Kind.UNKNOWN ? ", no probe answered yet" : ", probed");
        }
    }

    /** A failure seen on the upstream, and when. */
    public record RecentError(Instant at, String what) {
        public RecentError {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(what, "what");
        }
    }
}
