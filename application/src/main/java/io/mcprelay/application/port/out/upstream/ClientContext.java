package io.mcprelay.application.port.out.upstream;

import java.util.Map;

/**
 * What of the client's request may travel upstream with its messages: named values the header
 * policy lets through (credentials for the upstream, trace context). A transport carries them as it
 * can: the HTTP adapter sends them as request headers, a stdio adapter has nowhere to put them and
 * ignores them. The names are the client's, case preserved.
 */
public record ClientContext(Map<String, String> values) {

    public static final ClientContext NONE = new ClientContext(Map.of());

    public ClientContext {
        values = Map.copyOf(values);
    }
}
