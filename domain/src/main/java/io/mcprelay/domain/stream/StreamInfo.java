package io.mcprelay.domain.stream;

import io.mcprelay.domain.session.ProxySessionId;
import java.time.Instant;
import java.util.Objects;

/** A stream's identity: its id, the session it belongs to, what opened it and when. */
public record StreamInfo(StreamId id, ProxySessionId session, StreamKind kind, Instant openedAt) {

    public StreamInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(openedAt, "openedAt");
    }
}
