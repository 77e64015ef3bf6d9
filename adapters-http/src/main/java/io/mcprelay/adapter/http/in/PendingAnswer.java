package io.mcprelay.adapter.http.in;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A POST whose answer has not begun: whoever {@link #claim() claims} it first writes its response,
 * either the use case (its answer, as usual) or the {@link Drain} at its deadline, which answers in
 * its place with a JSON-RPC error ({@link #cut}) instead of letting the connection close with nothing.
 * The loser writes nothing: a use case that gets its upstream's answer after the cut drops it.
 */
final class PendingAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The refusal the access log shows for a request the drain answered. */
    static final String CUT_REASON = "drain_deadline";

    private final RequestRecord record;
    private final ServerResponse response;
    private final byte[] body;
    private final AtomicBoolean claimed = new AtomicBoolean();

    PendingAnswer(RequestRecord record, ServerResponse response, byte[] body) {
        this.record = record;
        this.response = response;
        this.body = body;
    }

    /** Takes the right to answer; {@code true} once, for the first caller. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /**
     * Answers in the use case's place, if it has not begun: 503 with a JSON-RPC error that carries the
     * request's id (null for a batch or a body that is not one request), and {@code Connection: close}.
     * No {@code Retry-After}: the upstream may have acted on the request, so a blind retry is not safe.
     *
     * @return whether this answered the request
     */
    boolean cut(String detail) {
        if (!claim()) {
            return false;
        }
        record.refused(CUT_REASON);
        try {
            response.status(Status.SERVICE_UNAVAILABLE_503);
            response.header(HeaderValues.CONNECTION_CLOSE);
            response.header(HeaderValues.CONTENT_TYPE_JSON);
            response.header(HeaderNames.create("X-Mcp-Relay-Cut"), "drain-deadline");
            response.send(error(requestIdJson(body), detail).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            System.getLogger(PendingAnswer.class.getName()).log(System.Logger.Level.DEBUG, "answer at the drain deadline not written: {0}",
                    e.toString());
        }
        return true;
    }

    static String error(String idJson, String detail) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"error\":{\"code\":" + JsonRpcErrorCodes.INTERNAL_ERROR + ",\"message\":"
                + new RequestId.StringId(detail).toJson() + "}}";
    }

    /** The id of a single JSON-RPC request in {@code body} as JSON ({@code 7}, {@code "a"}), else {@code null}. */
    static String requestIdJson(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.isObject() && root.has("method")) {
                JsonNode id = root.get("id");
                if (id != null && (id.isTextual() || id.isIntegralNumber())) {
                    return JSON.writeValueAsString(id);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not one request: the error carries no id
        }
        return "null";
    }
}
