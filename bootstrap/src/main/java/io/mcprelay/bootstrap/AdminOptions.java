package io.mcprelay.bootstrap;

import java.util.Objects;
import java.util.Optional;

/**
 * The admin listener: off unless a port is given ({@code --admin-port}; 0 picks a free one), bound to
 * 127.0.0.1 by default, behind a token ({@code --admin-token}, at least 16 characters; when none is
 * given one is generated and the admin URL with it is printed once at start-up).
 */
record AdminOptions(Optional<Integer> port, String bind, Optional<String> token) {

    AdminOptions {
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

    static AdminOptions off() {
        return new AdminOptions(Optional.empty(), "127.0.0.1", Optional.empty());
    }
}
