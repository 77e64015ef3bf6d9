package io.mcprelay.bootstrap;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin listener: off unless a port is given ({@code --admin-port}; 0 picks a free one), bound to
 * 127.0.0.1 by default, behind a token ({@code --admin-token}, at least 16 characters; when none is
 * given one is generated and the admin URL with it is printed once at start-up). A UI login lasts
 * {@code loginTtl} ({@code --admin-login-ttl}, default 12 hours): its cookie holds a random handle
 * that expires then, never the token.
 */
record AdminOptions(Optional<Integer> port, String bind, Optional<String> token, Duration loginTtl) {

    static final Duration DEFAULT_LOGIN_TTL = Duration.ofHours(12);

    AdminOptions {
        Objects.requireNonNull(loginTtl, "loginTtl");
        if (loginTtl.isNegative() || loginTtl.isZero()) {
            throw new IllegalArgumentException("--admin-login-ttl: must be positive");
        }
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(token, "token");
        port.ifPresent(p -> {
            if (p < 0 || p > 65_535) {
                throw new IllegalArgumentException("--admin-port: must be 0 to 65535, not " + p);
            }
        });
        token.ifPresent(t -> {
            if (t.length() < 16) {
                throw new IllegalArgumentException("--admin-token: must have at least 16 characters");
            }
        });
    }

    /** With the default login lifetime. */
    AdminOptions(Optional<Integer> port, String bind, Optional<String> token) {
        this(port, bind, token, DEFAULT_LOGIN_TTL);
    }

    static AdminOptions off() {
        return new AdminOptions(Optional.empty(), "127.0.0.1", Optional.empty());
    }
}
