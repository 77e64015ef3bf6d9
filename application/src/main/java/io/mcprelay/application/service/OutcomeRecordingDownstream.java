package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.access.Rejection;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link DownstreamPort} that passes every answer on to the client and remembers which it was,
 * for metrics: a rejection as its reason in lower case, any other answer as {@code "ok"}.
 * Used on the request's thread, as {@link DownstreamPort} is; the outcome is read after the answer.
 */
final class OutcomeRecordingDownstream implements DownstreamPort {

    static final String OK = "ok";
    /** The outcome when no answer was given (the use case failed before answering). */
    static final String UNANSWERED = "unanswered";

    private final DownstreamPort client;
    private volatile String outcome = UNANSWERED;

    OutcomeRecordingDownstream(DownstreamPort client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** {@code "ok"}, the rejection reason in lower case, or {@code "unanswered"} if nothing was answered yet. */
    String outcome() {
        return outcome;
    }

    @Override
    public void reject(Rejection rejection) {
        outcome = rejection.reason().name().toLowerCase(Locale.ROOT);
        client.reject(rejection);
    }

    @Override
    public void accepted(Head head) {
        outcome = OK;
        client.accepted(head);
    }

    @Override
    public void ended(Head head) {
        outcome = OK;
        client.ended(head);
    }

    @Override
    public void answer(Head head, byte[] message) {
        outcome = OK;
        client.answer(head, message);
    }

    @Override
    public void refused(Head head, byte[] error) {
        outcome = OK;
        client.refused(head, error);
    }

    @Override
    public void passthrough(Head head, String mediaType, InputStream body) {
        outcome = OK;
        client.passthrough(head, mediaType, body);
    }

    @Override
    public Stream openEventStream(Head head) {
        outcome = OK;
        return client.openEventStream(head);
    }
}
