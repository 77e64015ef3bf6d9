package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Which requests a stream's events answer: how a stream knows it is done, live or taken over from its log. */
final class StreamAnswers {

    private StreamAnswers() {
    }

    /** The ids of the requests an event's data answers (responses and errors with an id). */
    static List<RequestId> answeredBy(MessageCodecPort codec, String data) {
        if (!mayAnswer(data)) {
            return List.of();
        }
        if (!(codec.decode(data.getBytes(StandardCharsets.UTF_8)) instanceof DecodedPayload.Decoded decoded)) {
            return List.of();
        }
        List<RequestId> ids = new java.util.ArrayList<>();
        for (JsonRpcMessage message : decoded.payload().messages()) {
            switch (message) {
                case JsonRpcMessage.Response response -> ids.add(response.id());
                case JsonRpcMessage.ErrorResponse error -> error.id().ifPresent(ids::add);
                default -> { }
            }
        }
        return ids;
    }

    /**
     * False when {@code data} cannot hold a response: a response or error has a member named
     * {@code result} or {@code error}, which JSON text spells either literally in quotes or with a
     * backslash-u escape. Most events of a stream are notifications (progress, logs): this spares
     * decoding each of them, live and when a take-over goes through a whole log.
     */
    static boolean mayAnswer(String data) {
        return data.contains("\"result\"") || data.contains("\"error\"") || data.contains("\\u");
    }
}
