package io.mcprelay.application.service;

import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.stream.SseEvent;
import java.util.List;
import java.util.Set;

/**
 * The requests of a {@link StreamPump}'s stream that no event has answered yet, and which requests
 * an event answers (what the pump logs with it, so that a take-over need not read the whole log).
 * A stream without requests (a standalone GET) answers none and is never done by answers.
 */
final class OpenRequests {

    private final MessageCodecPort codec;
    /** Whether the stream answers requests (a POST's), so it is done once they are all answered. */
    private final boolean answersRequests;
    private final Set<RequestId> open;

    /** @param open the stream's requests still open (the pump's own set: it is updated in place) */
    OpenRequests(MessageCodecPort codec, Set<RequestId> open) {
        this.codec = codec;
        this.open = open;
        this.answersRequests = !open.isEmpty();
    }

    /** Whether some request is still open. */
    boolean any() {
        return !open.isEmpty();
    }

    /** Whether the stream had requests and all are answered: it is done. */
    boolean allAnswered() {
        return answersRequests && open.isEmpty();
    }

    /** The requests an upstream event answers, no longer open; none once all are answered. */
    List<RequestId> note(SseEvent event) {
        if (open.isEmpty() || !event.isMessage()) {
            return List.of();
        }
        List<RequestId> answers = StreamAnswers.answeredBy(codec, event.data());
        answers.forEach(open::remove);
        return answers;
    }

    /** The requests an event the stream logs answers; none for a stream that answers no request. */
    List<RequestId> of(String data) {
        return answersRequests ? StreamAnswers.answeredBy(codec, data) : List.of();
    }

    /** The requests still open, in order. */
    List<RequestId> remaining() {
        return List.copyOf(open);
    }

    /** {@code id} got its answer (an error the pump made up). */
    void answered(RequestId id) {
        open.remove(id);
    }
}
