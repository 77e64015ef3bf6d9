package io.mcprelay.adapter.http.admin;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who may use the admin listener: requests carrying the admin token as {@code Authorization: Bearer},
 * or the {@value #COOKIE} cookie the UI sets at {@code /login}. Tokens are compared in constant time
 * and never logged. Requests that change state and authenticate by cookie must also come from the admin
 * listener's own origin (CSRF): a browser adds the cookie to a forged cross-site request, but not a
 * matching {@code Origin}; Bearer requests cannot be forged by a page at all.
 *
 * <p>The cookie never holds the token: cookies are not tied to ports, so a browser also sends it to the
 * MCP listener of the same host (and from there, with credentials forwarded, it could reach an
 * upstream, although the header policy strips it). It holds a random <em>handle</em> of an admin
 * session instead, kept here (only its SHA-256) with an expiry: at most {@value #MAX_HANDLES} at once
 * (the oldest goes first), each valid for the configured lifetime from login. A leaked handle is
 * worth less than the token: it expires, and a restart forgets every handle.
 */
final class AdminAccess {

    static final String COOKIE = "mcp_relay_admin";
    static final int MAX_HANDLES = 1_000;
    static final Duration DEFAULT_HANDLE_TTL = Duration.ofHours(12);

    private final byte[] token;
    private final Duration handleTtl;
    private final Supplier<Instant> clock;
    private final SecureRandom random = new SecureRandom();
    /** SHA-256 of each live handle (Base64) to its expiry, oldest login first. */
    private final Map<String, Instant> handles = new LinkedHashMap<>();

    AdminAccess(String token) {
        this(token, DEFAULT_HANDLE_TTL, Instant::now);
    }

    /**
     * @param handleTtl how long a UI login (its cookie) stays valid
     * @param clock     the time handles expire by
     */
    AdminAccess(String token, Duration handleTtl, Supplier<Instant> clock) {
        Objects.requireNonNull(token, "token");
        if (token.length() < 16) {
            throw new IllegalArgumentException("an admin token has at least 16 characters");
        }
        if (handleTtl.isNegative() || handleTtl.isZero()) {
            throw new IllegalArgumentException("an admin session lasts a positive time");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.handleTtl = handleTtl;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    enum Verdict { BEARER, COOKIE, NONE }

    Verdict authenticate(ServerRequest req) {
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent() && authorization.get().regionMatches(true, 0, "Bearer ", 0, 7)
                && matches(authorization.get().substring(7).trim())) {
            return Verdict.BEARER;
        }
        Optional<String> cookie = cookie(req);
        return cookie.isPresent() && validHandle(cookie.get()) ? Verdict.COOKIE : Verdict.NONE;
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

    /** A new admin session (after the token was shown): its handle, for the cookie. */
    String issueHandle() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String handle = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.get();
        synchronized (handles) {
            dropExpired(now);
            if (handles.size() >= MAX_HANDLES) {
                Iterator<String> oldest = handles.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            handles.put(digest(handle), now.plus(handleTtl));
        }
        return handle;
    }

    /** The {@code Set-Cookie} value that hands {@code handle} to the browser, expiring with it. */
    String cookieFor(String handle) {
        return COOKIE + "=" + handle + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + handleTtl.toSeconds();
    }

    /** The {@code Set-Cookie} value that makes the browser drop the admin cookie (at log-out). */
    String clearedCookie() {
        return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    }

    /** Ends the admin session whose handle the request's cookie holds, if any: the handle is no longer valid anywhere. */
    void revoke(ServerRequest req) {
        cookie(req).ifPresent(handle -> {
            synchronized (handles) {
                handles.remove(digest(handle));
            }
        });
    }

    /** Whether {@code handle} names a live admin session; an expired one is forgotten. */
    boolean validHandle(String handle) {
        String key = digest(handle);
        Instant now = clock.get();
        synchronized (handles) {
            Instant expires = handles.get(key);
            if (expires == null) {
                return false;
            }
            if (!now.isBefore(expires)) {
                handles.remove(key);
                return false;
            }
            return true;
        }
    }

    /** Admin sessions held now (expired ones not yet dropped included). */
    int handlesHeld() {
        synchronized (handles) {
            return handles.size();
        }
    }

    private void dropExpired(Instant now) {
        handles.values().removeIf(expires -> !now.isBefore(expires));
    }

    private static String digest(String handle) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(handle.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
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
