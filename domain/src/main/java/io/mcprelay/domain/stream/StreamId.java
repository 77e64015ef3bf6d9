package io.mcprelay.domain.stream;

import java.util.Objects;

/**
 * Identifies one stream (one SSE response) for the lifetime of its replay log: at least 128 random
 * bits, URL-safe (the id generator port mints them). Part of every event id the stream carries.
 */
public record StreamId(String value) {

    public StreamId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 64 || !value.chars().allMatch(StreamId::urlSafe)) {
            throw new IllegalArgumentException("a stream id is 1 to 64 URL-safe characters [A-Za-z0-9_-]");
        }
    }

    static boolean urlSafe(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return value;
    }
}
