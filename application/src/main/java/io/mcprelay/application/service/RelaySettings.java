package io.mcprelay.application.service;

import io.mcprelay.domain.access.HeaderPolicy;
import java.util.Objects;

/**
 * Settings of the relay use cases.
 *
 * @param headerPolicy         which headers cross the proxy (defaults to {@link HeaderPolicy#defaults()}:
 *                             credentials are not forwarded)
 * @param maxInitializeEvents  how many events of an upstream's SSE answer to initialize are held while
 *                             waiting for the initialize result, before the session exists (defaults to 32)
 */
public record RelaySettings(HeaderPolicy headerPolicy, int maxInitializeEvents) {

    public RelaySettings {
        Objects.requireNonNull(headerPolicy, "headerPolicy");
        if (maxInitializeEvents < 1) {
            throw new IllegalArgumentException("maxInitializeEvents must be at least 1");
        }
    }

    public static RelaySettings defaults() {
        return new RelaySettings(HeaderPolicy.defaults(), 32);
    }
}
