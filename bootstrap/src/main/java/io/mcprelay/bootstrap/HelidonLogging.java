package io.mcprelay.bootstrap;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * mcp-relay's answer to Helidon's search for a logging implementation: none is needed, since
 * mcp-relay configures {@code java.util.logging} itself ({@link Main}, {@code --log-format}).
 * Without a provider Helidon prints a plain-text line to stderr at start-up ("There is no Helidon
 * logging implementation on classpath"), which breaks a JSON log stream.
 */
public final class HelidonLogging implements LoggingProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public HelidonLogging() {
    }

    @Override
    public void initialization() {
        // java.util.logging is configured by Main
    }

    @Override
    public void runTime() {
        // nothing to re-configure at run time
    }
}
