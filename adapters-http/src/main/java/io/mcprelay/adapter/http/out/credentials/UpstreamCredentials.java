package io.mcprelay.adapter.http.out.credentials;

import io.mcprelay.application.port.out.upstream.ClientContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mcp-relay's own credentials for one HTTP upstream: the headers it adds to every request to that
 * upstream (an API key, a bearer token of its own, one exchanged for the client's). They replace any
 * header of the same name the client's context would carry. Implementations bound every wait on a
 * token endpoint, cache what they get, and never log a secret or a token.
 */
@FunctionalInterface
public interface UpstreamCredentials {

    /** No credentials: nothing is added. */
    UpstreamCredentials NONE = client -> Map.of();

    /**
     * The headers to add to a request made for {@code client}.
     *
     * @throws CredentialsException when they cannot be had now; the request is then not sent
     */
    Map<String, String> headers(ClientContext client) throws CredentialsException;

    /** All of {@code parts}, in order; a later part's header replaces an earlier one's of the same name. */
    static UpstreamCredentials all(List<UpstreamCredentials> parts) {
        List<UpstreamCredentials> copy = List.copyOf(parts);
        if (copy.isEmpty()) {
            return NONE;
        }
        if (copy.size() == 1) {
            return copy.getFirst();
        }
        return client -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (UpstreamCredentials part : copy) {
                part.headers(client).forEach((name, value) -> {
                    headers.keySet().removeIf(name::equalsIgnoreCase);
                    headers.put(name, value);
                });
            }
            return headers;
        };
    }
}
