package io.mcprelay.domain.intercept;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which way a message travels through the relay, and in what form. */
public enum Direction {
    /** A request or notification from the client, before it goes upstream. */
    REQUEST,
    /** A JSON response body from the upstream, before it goes to the client. */
    RESPONSE,
    /** One SSE event from the upstream, before it is logged and sent to the client. */
    EVENT;

    /** The name used in configuration: {@code request}, {@code response}, {@code event}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction named {@code name} in configuration, if there is one. */
    public static Optional<Direction> fromConfig(String name) {
        return Arrays.stream(values()).filter(d -> d.configName().equals(name)).findFirst();
    }
}
