package io.mcprelay.domain.auth;

import java.util.Objects;

/**
 * Why a request was not let in, in the terms of RFC 6750 §3.1: the HTTP adapter answers
 * {@link Kind#MISSING_TOKEN} and {@link Kind#INVALID_TOKEN} with 401, {@link Kind#INSUFFICIENT_SCOPE}
 * with 403, each with {@code WWW-Authenticate: Bearer resource_metadata="..."}; {@link Kind#UNAVAILABLE}
 * with 503 and no challenge.
 *
 * @param kind   which of the three
 * @param detail what went wrong, for the client ({@code error_description}) and the log; never the token
 */
public record AuthRefusal(Kind kind, String detail) {

    /** The three refusals a protected resource gives, and the token that cannot be checked now. */
    public enum Kind {
        /** No bearer token: the client should start its authorization flow (no {@code error} attribute). */
        MISSING_TOKEN,
        /** A token that is malformed, expired, revoked, for another resource or not signed by the issuer. */
        INVALID_TOKEN,
        /** A valid token that lacks a scope the request needs. */
        INSUFFICIENT_SCOPE,
        /**
         * The token cannot be checked now (the issuer's introspection endpoint cannot be reached or
         * failed): neither valid nor invalid; the HTTP adapter answers 503 without a challenge.
         */
        UNAVAILABLE
    }

    public AuthRefusal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** The RFC 6750 {@code error} code, or empty for a missing token. */
    public String errorCode() {
        return switch (kind) {
            case MISSING_TOKEN -> "";
            case INVALID_TOKEN -> "invalid_token";
            case INSUFFICIENT_SCOPE -> "insufficient_scope";
            case UNAVAILABLE -> "";
        };
    }
}
