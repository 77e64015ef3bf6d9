package io.mcprelay.domain.stream;

import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.ProxySessionId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A stream's identity: its id, the session it belongs to, what opened it and when, and the ids of
 * the requests it answers (a POST's requests; none for the standalone stream), so whichever
 * instance ends the stream can answer them if the upstream cannot.
 */
public record StreamInfo(StreamId id, ProxySessionId session, StreamKind kind, Instant openedAt, List<RequestId> requests) {

    public StreamInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(openedAt, "openedAt");
        requests = List.copyOf(requests);
    }

    /** A stream that answers no particular request. */
    public StreamInfo(StreamId id, ProxySessionId session, StreamKind kind, Instant openedAt) {
        this(id, session, kind, openedAt, List.of());
    }
}
