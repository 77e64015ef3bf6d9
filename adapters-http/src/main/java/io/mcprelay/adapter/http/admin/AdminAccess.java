package io.mcprelay.adapter.http.admin;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use the admin listener: requests carrying the admin token, as {@code Authorization: Bearer}
 * or in the {@value #COOKIE} cookie the UI sets. Tokens are compared in constant time and never
 * logged. Requests that change state and authenticate by cookie must also come from the admin
 * listener's own origin (CSRF): a browser adds the cookie to a forged cross-site request, but not a
 * matching {@code Origin}; Bearer requests cannot be forged by a page at all.
 */
final class AdminAccess {

    static final String COOKIE = "mcp_relay_admin";

    private final byte[] token;

    AdminAccess(String token) {
        Objects.requireNonNull(token, "token");
        if (token.length() < 16) {
            throw new IllegalArgumentException("an admin token has at least 16 characters");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    enum Verdict { BEARER, COOKIE, NONE }

    Verdict authenticate(ServerRequest req) {
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent() && authorization.get().regionMatches(true, 0, "Bearer ", 0, 7)
                && matches(authorization.get().substring(7).trim())) {
            return Verdict.BEARER;
        }
        Optional<String> cookie = cookie(req);
        return cookie.isPresent() && matches(cookie.get()) ? Verdict.COOKIE : Verdict.NONE;
    }

    /** Whether a state-changing request authenticated by cookie comes from this listener's own origin. */
    static boolean sameOrigin(ServerRequest req) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        return origin.isPresent() && host.isPresent()
                && (origin.get().equals("http://" + host.get()) || origin.get().equals("https://" + host.get()));
    }

    boolean matches(String candidate) {
        return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> cookie(ServerRequest req) {
        for (String header : req.headers().all(HeaderNames.COOKIE, java.util.List::of)) {
            for (String part : header.split(";")) {
                String trimmed = part.trim();
                if (trimmed.startsWith(COOKIE + "=")) {
                    return Optional.of(trimmed.substring(COOKIE.length() + 1));
                }
            }
        }
        return Optional.empty();
    }
}
