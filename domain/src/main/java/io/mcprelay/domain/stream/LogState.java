package io.mcprelay.domain.stream;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a replay log stands.
 *
 * @param stream          the stream
 * @param firstSequence   the oldest retained event's sequence ({@code lastSequence + 1} when none is retained)
 * @param lastSequence    the newest event's sequence (0 before the first event)
 * @param complete        whether the stream has ended (no event will follow)
 * @param upstreamCursor  the last event id the upstream gave on this stream, to resume it upstream
 */
public record LogState(StreamInfo stream, long firstSequence, long lastSequence, boolean complete, Optional<String> upstreamCursor) {

    public LogState {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(upstreamCursor, "upstreamCursor");
        if (lastSequence < 0 || firstSequence < 1 || firstSequence > lastSequence + 1) {
            throw new IllegalArgumentException("inconsistent log positions: first " + firstSequence + ", last " + lastSequence);
        }
    }
}
