package io.mcprelay.domain.limit;

import io.mcprelay.domain.session.ProxySessionId;
import java.util.Locale;
import java.util.Objects;

/**
 * Whom the per-principal rate limit counts: the authenticated principal when clients authenticate,
 * else the session (each session its own bucket: without authentication nothing tells two sessions of
 * one client apart that a client could not forge). The application resolves the caller of a request in
 * one place ({@code RateLimitGate.callerOf}), so that authentication changes only that place.
 *
 * @param kind what {@code id} names
 * @param id   the session id or the principal's subject: 1 to {@value #MAX_ID_LENGTH} characters,
 *             no control characters
 */
public record Caller(Kind kind, String id) {

    public static final int MAX_ID_LENGTH = 256;

    /** What a caller is known by; also the "principal class" metrics count limited requests by. */
    public enum Kind {
        /** An unauthenticated client, known by its session. */
        SESSION,
        /** An authenticated client, known by its principal's subject. */
        PRINCIPAL;

        /** The label of this kind in metrics and bucket keys: {@code session}, {@code principal}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Caller {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("a caller id is 1 to " + MAX_ID_LENGTH + " printable characters");
        }
    }

    /** The caller of an unauthenticated request: its session. */
    public static Caller ofSession(ProxySessionId session) {
        return new Caller(Kind.SESSION, session.value());
    }

    /** The caller of an authenticated request: its principal's subject. */
    public static Caller ofPrincipal(String subject) {
        return new Caller(Kind.PRINCIPAL, subject);
    }

    /** The name of this caller's bucket, unique across kinds: {@code session:<id>}, {@code principal:<subject>}. */
    public String bucketKey() {
        return kind.label() + ":" + id;
    }
}
