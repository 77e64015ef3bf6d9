package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.UpstreamPort;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Relays one upstream event stream to the client, event by event: read one event, write and flush
 * it, read the next. Nothing is accumulated; the client's pace is the upstream's pace.
 *
 * <p>Upstream event ids and {@code retry} hints belong to the upstream connection and are not shown
 * to the client; events with empty data (2025-11-25 priming events) carry nothing for the client and
 * are not relayed. If the upstream stream ends or breaks before every request of the POST was
 * answered, the client gets a JSON-RPC error for each unanswered request instead of waiting forever.
 */
final class EventPump {

    private static final System.Logger LOG = System.getLogger(EventPump.class.getName());

    private final MessageCodecPort codec;
    private final UpstreamPort.EventSource source;
    private final DownstreamPort.Stream out;
    private final Set<RequestId> unanswered;

    EventPump(MessageCodecPort codec, UpstreamPort.EventSource source, DownstreamPort.Stream out, Set<RequestId> unanswered) {
        this.codec = codec;
        this.source = source;
        this.out = out;
        this.unanswered = unanswered;
    }

    /** Pumps until the upstream ends, breaks, or the client goes away. */
    void run(List<SseEvent> alreadyRead) {
        for (SseEvent event : alreadyRead) {
            if (!forward(event)) {
                return;
            }
        }
        while (true) {
            switch (source.next()) {
                case UpstreamPort.Read.Event e -> {
                    if (!forward(e.event())) {
                        LOG.log(System.Logger.Level.DEBUG, "downstream gone; releasing the upstream stream");
                        return;
                    }
                }
                case UpstreamPort.Read.End end -> {
                    answerUnanswered("the upstream ended the stream before answering");
                    return;
                }
                case UpstreamPort.Read.Broken broken -> {
                    LOG.log(System.Logger.Level.WARNING, "upstream stream broke: {0}", broken.reason());
                    answerUnanswered("the upstream stream broke before answering: " + broken.reason());
                    return;
                }
            }
        }
    }

    private boolean forward(SseEvent event) {
        if (event.data().isEmpty()) {
            return true;
        }
        noteResponses(event);
        return out.emit(new SseEvent(Optional.empty(), event.event(), event.data(), Optional.empty()));
    }

    private void noteResponses(SseEvent event) {
        if (unanswered.isEmpty() || !event.isMessage()) {
            return;
        }
        if (codec.decode(event.data().getBytes(StandardCharsets.UTF_8)) instanceof DecodedPayload.Decoded decoded) {
            for (JsonRpcMessage message : decoded.payload().messages()) {
                switch (message) {
                    case JsonRpcMessage.Response response -> unanswered.remove(response.id());
                    case JsonRpcMessage.ErrorResponse error -> error.id().ifPresent(unanswered::remove);
                    default -> { }
                }
            }
        }
    }

    private void answerUnanswered(String why) {
        for (RequestId id : List.copyOf(unanswered)) {
            String json = new JsonRpcError(Optional.of(id), JsonRpcErrorCodes.INTERNAL_ERROR, "Upstream error: " + why).toJson();
            if (!out.emit(SseEvent.message(json))) {
                return;
            }
            unanswered.remove(id);
        }
    }
}
