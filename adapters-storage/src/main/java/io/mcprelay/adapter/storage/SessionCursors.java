package io.mcprelay.adapter.storage;

import io.mcprelay.domain.session.ProxySessionId;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;

/**
 * The wire form of a session-listing cursor, shared by the stores: opaque URL-safe Base64 of
 * {@code <layout>|seconds|nanos|id}, where the layout names the store that issued it, so one store
 * never mistakes another's cursor for its own. (Not exported: a detail of this module's stores.)
 */
public final class SessionCursors {

    /** Where a listing stopped: the creation time and id of the last session handed out. */
    public record Position(Instant createdAt, ProxySessionId id) {
    }

    private SessionCursors() {
    }

    public static String encode(String layout, Instant createdAt, ProxySessionId id) {
        String plain = layout + '|' + createdAt.getEpochSecond() + '|' + createdAt.getNano() + '|' + id.value();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The position {@code text} encodes.
     *
     * @throws IllegalArgumentException if {@code text} is not a cursor of that layout
     */
    public static Position decode(String layout, String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            String[] parts = plain.split("\\|", 4);
            if (parts.length != 4 || !parts[0].equals(layout)) {
                throw new IllegalArgumentException("unknown layout");
            }
            int nanos = Integer.parseInt(parts[2]);
            if (nanos < 0 || nanos > 999_999_999) {
                throw new IllegalArgumentException("nanoseconds out of range");
            }
            return new Position(Instant.ofEpochSecond(Long.parseLong(parts[1]), nanos), new ProxySessionId(parts[3]));
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("invalid session list cursor: not one this store issued", e);
        }
    }
}
