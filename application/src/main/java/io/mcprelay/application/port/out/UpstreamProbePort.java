package io.mcprelay.application.port.out;

import io.mcprelay.domain.routing.UpstreamTarget;
import java.time.Duration;
import java.util.Objects;

/**
 * Actively checks an upstream's health with a request that has no side effect on it, bounded by
 * {@code timeout}. Blocking; never throws for an unhealthy upstream.
 */
@FunctionalInterface
public interface UpstreamProbePort {

    Result probe(UpstreamTarget target, Duration timeout);

    /** The verdict, with what was seen (status, or the failure) for operators. */
    record Result(boolean healthy, String detail) {
        public Result {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
