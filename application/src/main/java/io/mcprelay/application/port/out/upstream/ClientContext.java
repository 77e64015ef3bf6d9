package io.mcprelay.application.port.out.upstream;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What of the client's request may travel upstream with its messages: named values the header
 * policy lets through (credentials for the upstream, trace context). A transport carries them as it
 * can: the HTTP adapter sends them as request headers, a stdio adapter has nowhere to put them and
 * ignores them. The names are the client's, case preserved.
 *
 * <p>{@code subjectToken} is the client's own access token, present only when clients authenticate
 * to mcp-relay and the token was validated for this request. It is never sent upstream as it is
 * (no token passthrough): an adapter may only exchange it for a token of the upstream's own
 * (RFC 8693), and {@link #toString()} never shows it.
 *
 * @param values       the values that may travel as they are
 * @param subjectToken the client's validated access token, for a token exchange
 */
public record ClientContext(Map<String, String> values, Optional<String> subjectToken) {

    public static final ClientContext NONE = new ClientContext(Map.of());

    public ClientContext {
        values = Map.copyOf(values);
        Objects.requireNonNull(subjectToken, "subjectToken");
    }

    /** A context without the client's token. */
    public ClientContext(Map<String, String> values) {
        this(values, Optional.empty());
    }

    /** Never the token itself. */
    @Override
    public String toString() {
        return "ClientContext[values=" + values.keySet() + ", subjectToken=" + (subjectToken.isPresent() ? "present" : "none") + "]";
    }
}
