package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.access.Rejection;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link DownstreamPort} that passes every answer on to the client and remembers which it was,
 * for metrics: a rejection as its reason in lower case, an upstream's own error passed on as
 * {@code "upstream_refused"} (it judged the request) or {@code "upstream_error"} (it failed); an
 * initialize the upstream refused is no success, any other answer as {@code "ok"}.
 * Used on the request's thread, as {@link DownstreamPort} is; the outcome is read after the answer.
 */
final class OutcomeRecordingDownstream implements DownstreamPort {

    static final String OK = "ok";
    /** The outcome when no answer was given (the use case failed before answering). */
    static final String UNANSWERED = "unanswered";
    /** The upstream refused the request with an error of its own (it judged the request: HTTP 4xx), passed on. */
    static final String UPSTREAM_REFUSED = "upstream_refused";
    /** The upstream failed and said so with an error of its own (HTTP 5xx with a JSON-RPC body), passed on. */
    static final String UPSTREAM_ERROR = "upstream_error";

    private final DownstreamPort client;
    private volatile String outcome = UNANSWERED;
    private volatile Rejection refusal;

    OutcomeRecordingDownstream(DownstreamPort client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** {@code "ok"}, the rejection reason in lower case, or {@code "unanswered"} if nothing was answered yet. */
    String outcome() {
        return outcome;
    }

    /** The refusal mcp-relay answered with itself, if it did. */
    java.util.Optional<Rejection> refusal() {
        return java.util.Optional.ofNullable(refusal);
    }

    @Override
    public void reject(Rejection rejection) {
        outcome = rejection.reason().name().toLowerCase(Locale.ROOT);
        refusal = rejection;
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
    public void refused(Head head, byte[] error, boolean upstreamFault) {
        outcome = upstreamFault ? UPSTREAM_ERROR : UPSTREAM_REFUSED;
        client.refused(head, error, upstreamFault);
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
