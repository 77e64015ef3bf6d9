package io.mcprelay.application.port.in;

import io.mcprelay.domain.auth.Principal;
import io.mcprelay.domain.session.ClientKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A GET of the MCP endpoint, after the adapter's transport checks (Origin, Accept).
 *
 * @param sessionId       the {@code Mcp-Session-Id} header, if present
 * @param protocolVersion the {@code MCP-Protocol-Version} header, if present
 * @param lastEventId     the {@code Last-Event-ID} header, if present
 * @param headers         all request headers
 * @param client          who sent it: with authentication on, only the principal that opened the session may stream from it
 * @param principal       who sent it, when clients authenticate: rules may match on it
 */
public record OpenStreamCommand(Optional<String> sessionId, Optional<String> protocolVersion, Optional<String> lastEventId,
                                Map<String, String> headers, ClientKey client, Optional<Principal> principal) {

    public OpenStreamCommand {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(lastEventId, "lastEventId");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(principal, "principal");
    }

    /** A GET of a client that did not authenticate. */
    public OpenStreamCommand(Optional<String> sessionId, Optional<String> protocolVersion, Optional<String> lastEventId,
                             Map<String, String> headers, ClientKey client) {
        this(sessionId, protocolVersion, lastEventId, headers, client, Optional.empty());
    }

    /** A GET from a client that could not be told apart ({@link ClientKey#UNKNOWN}). */
    public OpenStreamCommand(Optional<String> sessionId, Optional<String> protocolVersion, Optional<String> lastEventId,
                             Map<String, String> headers) {
        this(sessionId, protocolVersion, lastEventId, headers, ClientKey.UNKNOWN);
    }
}
