package io.mcprelay.domain.stream;

import java.util.Objects;
import java.util.Optional;

/**
 * The SSE {@code id} mcp-relay gives an event: {@code <stream id>:<sequence>}. It names the stream
 * (so a {@code Last-Event-ID} leads back to exactly one stream, never another) and the position in
 * it. Sequences start at 1; sequence 0 is the position before the first event, which a priming event
 * carries. Clients must treat the id as opaque.
 */
public record EventId(StreamId stream, long sequence) {

    private static final int MAX_TEXT = 96;

    public EventId {
        Objects.requireNonNull(stream, "stream");
        if (sequence < 0) {
            throw new IllegalArgumentException("an event sequence is not negative");
        }
    }

    /** The id as it goes on the wire. */
    public String text() {
        return stream.value() + ":" + sequence;
    }

    /** The event id written as {@code text}, or empty when it is not one of ours. */
    public static Optional<EventId> parse(String text) {
        if (text == null || text.length() > MAX_TEXT) {
            return Optional.empty();
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.length() - colon - 1 > 19) {
            return Optional.empty();
        }
        String stream = text.substring(0, colon);
        String sequence = text.substring(colon + 1);
        if (!stream.chars().allMatch(StreamId::urlSafe) || !sequence.chars().allMatch(c -> c >= '0' && c <= '9')
                || sequence.length() > 1 && sequence.charAt(0) == '0') {
            return Optional.empty();
        }
        try {
            return Optional.of(new EventId(new StreamId(stream), Long.parseLong(sequence)));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return text();
    }
}
