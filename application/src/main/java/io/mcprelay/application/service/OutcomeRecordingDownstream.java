package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.access.Rejection;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link DownstreamPort} that passes every answer on to the client and remembers which it was,
 * for metrics: a rejection as its reason in lower case, an upstream's error status passed on as
 * {@code "upstream_status_4xx"} or {@code "upstream_status_5xx"} (an initialize the upstream refused
 * is no success), any other answer as {@code "ok"}.
 * Used on the request's thread, as {@link DownstreamPort} is; the outcome is read after the answer.
 */
final class OutcomeRecordingDownstream implements DownstreamPort {

    static final String OK = "ok";
    /** The outcome when no answer was given (the use case failed before answering). */
    static final String UNANSWERED = "unanswered";
    static final String UPSTREAM_4XX = "upstream_status_4xx";
    static final String UPSTREAM_5XX = "upstream_status_5xx";

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
    public void empty(int status, Head head) {
        outcome = byStatus(status);
        client.empty(status, head);
    }

    @Override
    public void json(int status, Head head, byte[] body) {
        outcome = byStatus(status);
        client.json(status, head, body);
    }

    @Override
    public void passthrough(int status, Head head, String contentType, InputStream body) {
        outcome = byStatus(status);
        client.passthrough(status, head, contentType, body);
    }

    private static String byStatus(int status) {
        return status >= 500 ? UPSTREAM_5XX : status >= 400 ? UPSTREAM_4XX : OK;
    }

    @Override
    public Stream openEventStream(Head head) {
        outcome = OK;
        return client.openEventStream(head);
    }
}
