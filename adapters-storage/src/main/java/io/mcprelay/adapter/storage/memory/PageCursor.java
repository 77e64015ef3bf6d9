package io.mcprelay.adapter.storage.memory;

import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a listing stopped: the creation time and id of the last session handed out. The next page
 * starts strictly after it, so sessions deleted between pages shift nothing and are never skipped
 * over. On the wire it is opaque URL-safe Base64 of {@code v1|seconds|nanos|id}.
 */
record PageCursor(Instant createdAt, ProxySessionId id) {

    private static final String VERSION = "v1";

    PageCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    static PageCursor after(Session last) {
        return new PageCursor(last.createdAt(), last.id());
    }

    /** Whether {@code session} comes after this cursor in listing order. */
    boolean precedes(Session session) {
        int byTime = createdAt.compareTo(session.createdAt());
        return byTime < 0 || byTime == 0 && id.value().compareTo(session.id().value()) < 0;
    }

    String encode() {
        String plain = VERSION + '|' + createdAt.getEpochSecond() + '|' + createdAt.getNano() + '|' + id.value();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The cursor {@code text} encodes.
     *
     * @throws IllegalArgumentException if {@code text} is not a cursor this store issued
     */
    static PageCursor decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            String[] parts = plain.split("\\|", 4);
            if (parts.length != 4 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException("unknown layout");
            }
            int nanos = Integer.parseInt(parts[2]);
            if (nanos < 0 || nanos > 999_999_999) {
                throw new IllegalArgumentException("nanoseconds out of range");
            }
            Instant createdAt = Instant.ofEpochSecond(Long.parseLong(parts[1]), nanos);
            return new PageCursor(createdAt, new ProxySessionId(parts[3]));
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new IllegalArgumentException("invalid session list cursor: not one this store issued", e);
        }
    }
}
