package io.mcprelay.application.service;

import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import java.util.List;
import java.util.Optional;

/**
 * What the interceptors made of one payload (a POST body, a JSON response, an SSE event's data).
 *
 * @param changed   whether anything was modified, answered or dropped; when not, the original bytes go on
 * @param forwarded what still goes on, in order: a single message, or a batch (of one, if one is left);
 *                  empty when nothing does
 * @param text      the JSON of {@code forwarded}
 * @param answers   client requests answered here (blocked or mocked), as JSON-RPC responses
 */
record Rewrite(boolean changed, Optional<JsonRpcPayload> forwarded, Optional<String> text, List<String> answers) {

    Rewrite {
        answers = List.copyOf(answers);
    }

    static Rewrite unchanged(JsonRpcPayload payload, String text) {
        return new Rewrite(false, Optional.of(payload), Optional.of(text), List.of());
    }

    /** Builds the rewrite of a payload from what went on of each message and its text. */
    static Rewrite of(JsonRpcPayload original, List<JsonRpcMessage> messages, List<String> texts, List<String> answers) {
        if (messages.isEmpty()) {
            return new Rewrite(true, Optional.empty(), Optional.empty(), answers);
        }
        if (original instanceof JsonRpcPayload.Single) {
            return new Rewrite(true, Optional.of(new JsonRpcPayload.Single(messages.getFirst())), Optional.of(texts.getFirst()), answers);
        }
        return new Rewrite(true, Optional.of(new JsonRpcPayload.Batch(messages)), Optional.of("[" + String.join(",", texts) + "]"), answers);
    }
}
