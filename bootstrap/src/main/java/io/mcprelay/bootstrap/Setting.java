package io.mcprelay.bootstrap;

import java.util.Objects;

/**
 * One value given for one option, and where it was given: a flag ({@code --port}), an environment
 * variable ({@code MCP_RELAY_PORT}) or a key of the configuration file ({@code listen.port}). A
 * problem with the value names its origin, so the user is pointed at what they wrote.
 */
record Setting(String value, String origin) {

    Setting {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
    }
}
