package io.mcprelay.application.port.out;

import java.time.Instant;

/** The time: the domain never reads a clock, the application asks this port. */
@FunctionalInterface
public interface ClockPort {

    Instant now();
}
