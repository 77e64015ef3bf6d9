package io.mcprelay.application.port.out;

import io.mcprelay.domain.stream.StreamId;

/** Mints stream ids: at least 128 bits from a cryptographic random source, URL-safe. */
@FunctionalInterface
public interface StreamIdGeneratorPort {

    StreamId next();
}
