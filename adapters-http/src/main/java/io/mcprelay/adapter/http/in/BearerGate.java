package io.mcprelay.adapter.http.in;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.application.port.in.AuthenticateRequestCommand;
import io.mcprelay.application.port.in.AuthenticateRequestUseCase;
import io.mcprelay.domain.auth.AuthRefusal;
import io.mcprelay.domain.auth.Authentication;
import io.mcprelay.domain.auth.Principal;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The bearer-token check in front of every MCP request, when clients must authenticate. It is the
 * one place that turns an {@link AuthRefusal} into HTTP (RFC 6750 §3): 401 for a missing or invalid
 * token, 403 for a short scope, each with {@code WWW-Authenticate: Bearer resource_metadata="..."}
 * (RFC 9728 §5.1), which is what starts an MCP client's authorization flow, and a JSON-RPC error body;
 * 503 with {@code Retry-After} and no challenge when the token cannot be checked now.
 */
public final class BearerGate {

    private static final System.Logger LOG = System.getLogger(BearerGate.class.getName());
    private static final int MAX_DESCRIPTION = 200;

    private final AuthenticateRequestUseCase authenticate;
    private final ProtectedResource resource;
    private final String metadataUrl;

    public BearerGate(AuthenticateRequestUseCase authenticate, ProtectedResource resource) {
        this.authenticate = Objects.requireNonNull(authenticate, "authenticate");
        this.resource = Objects.requireNonNull(resource, "resource");
        this.metadataUrl = resource.metadataUrl().toString();
    }

    /** The request's principal, or empty after the client has been answered with a challenge. */
    Optional<Principal> admit(ServerRequest req, ServerResponse res) {
        List<String> values = req.headers().all(HeaderNames.AUTHORIZATION, List::of);
        Optional<String> header = values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
        return switch (authenticate.authenticate(new AuthenticateRequestCommand(header))) {
            case Authentication.Authenticated ok -> Optional.of(ok.principal());
            case Authentication.Refused refused -> {
                challenge(res, refused.refusal());
                yield Optional.empty();
            }
        };
    }

    private void challenge(ServerResponse res, AuthRefusal refusal) {
        if (refusal.kind() == AuthRefusal.Kind.UNAVAILABLE) {
            // the token could not be checked: no challenge (a client would start over for nothing), retry later
            res.status(Status.SERVICE_UNAVAILABLE_503);
            res.header(HeaderNames.RETRY_AFTER, "5");
            res.header(HeaderValues.CONTENT_TYPE_JSON);
            res.send(new JsonRpcError(Optional.empty(), JsonRpcErrorCodes.TRANSPORT_ERROR, "Service Unavailable: " + refusal.detail())
                    .toJson().getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (refusal.kind() != AuthRefusal.Kind.MISSING_TOKEN) {
            LOG.log(System.Logger.Level.DEBUG, "bearer token refused: {0}", refusal.detail());
        }
        StringBuilder challenge = new StringBuilder("Bearer resource_metadata=\"").append(metadataUrl).append('"');
        if (!refusal.errorCode().isEmpty()) {
            challenge.append(", error=\"").append(refusal.errorCode()).append('"');
            challenge.append(", error_description=\"").append(quotable(refusal.detail())).append('"');
        }
        if (refusal.kind() == AuthRefusal.Kind.INSUFFICIENT_SCOPE && !resource.requiredScopes().isEmpty()) {
            challenge.append(", scope=\"").append(quotable(resource.requiredScopes())).append('"');
        }
        int status = refusal.kind() == AuthRefusal.Kind.INSUFFICIENT_SCOPE ? 403 : 401;
        res.status(Status.create(status));
        res.header(HeaderNames.WWW_AUTHENTICATE, challenge.toString());
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        String message = status == 403 ? "Forbidden: " + refusal.detail() : "Unauthorized: " + refusal.detail();
        res.send(new JsonRpcError(Optional.empty(), JsonRpcErrorCodes.TRANSPORT_ERROR, message).toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Text safe inside a quoted-string of a header: printable ASCII without quote or backslash, bounded. */
    private static String quotable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_DESCRIPTION));
        for (int i = 0; i < text.length() && out.length() < MAX_DESCRIPTION; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return out.toString();
    }
}
