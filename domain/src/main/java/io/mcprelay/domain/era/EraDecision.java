package io.mcprelay.domain.era;

import io.mcprelay.domain.access.Rejection;
import java.util.Objects;

/** The era of one POSTed message, or why it is refused before any era's rules apply. */
public sealed interface EraDecision {

    /** A 2025-era message: the session rules apply, exactly as before the modern era existed. */
    record Legacy() implements EraDecision {
    }

    /**
     * A modern message whose routing claims match its body: stateless, no session.
     *
     * @param version the protocol version it claims (on or after 2026-07-28)
     */
    record Modern(String version) implements EraDecision {
        public Modern {
            Objects.requireNonNull(version, "version");
        }
    }

    /** A modern message refused before it goes anywhere (a mismatched header, a bad envelope), answering its request. */
    record Refused(Rejection rejection) implements EraDecision {
        public Refused {
            Objects.requireNonNull(rejection, "rejection");
        }
    }
}
