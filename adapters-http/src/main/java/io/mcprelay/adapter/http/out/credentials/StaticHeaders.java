package io.mcprelay.adapter.http.out.credentials;

import io.mcprelay.application.port.out.upstream.ClientContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fixed headers for an upstream, e.g. {@code X-Api-Key} or {@code Authorization: Bearer ...}, their
 * values read at start-up from the environment or a file. {@link #toString()} names the headers, never
 * their values.
 */
public final class StaticHeaders implements UpstreamCredentials {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final Map<String, String> headers;

    /** @param headers names (HTTP tokens) to values (printable, no CR, LF or NUL) */
    public StaticHeaders(Map<String, String> headers) {
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException("not a header name: " + name);
            }
            if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new IllegalArgumentException("the value of header " + name + " is empty or has control characters");
            }
            copy.put(name, value);
        });
        this.headers = Map.copyOf(copy);
    }

    @Override
    public Map<String, String> headers(ClientContext client) {
        return headers;
    }

    @Override
    public String toString() {
        return "StaticHeaders" + headers.keySet();
    }
}
