package io.mcprelay.adapter.http.in;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the listener answers itself, before any route sees the request (a head over the size limit:
 * 431; a request line too long: 414; broken framing found by {@link RequestFraming}: 400; an HTTP
 * version it does not serve: 505; an unsupported transfer coding: 501): the same JSON-RPC error body
 * as every other refusal, instead of Helidon's plain text, with the status Helidon chose. The text is
 * the status's reason and, when Helidon marked it safe to show, its message, clipped to printable
 * characters.
 */
public final class JsonRpcDirectHandler implements DirectHandler {

    private static final int MAX_MESSAGE = 200;

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status, ServerResponseHeaders headers,
                                    String message) {
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        String text = status.code() + " " + status.reasonPhrase() + (message == null || message.isBlank() ? "" : ": " + printable(message));
        byte[] body = new JsonRpcError(Optional.empty(), JsonRpcErrorCodes.TRANSPORT_ERROR, text).toJson().getBytes(StandardCharsets.UTF_8);
        return TransportResponse.builder().status(status).headers(headers).entity(body).build();
    }

    private static String printable(String message) {
        StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_MESSAGE));
        for (int i = 0; i < message.length() && out.length() < MAX_MESSAGE; i++) {
            char c = message.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
