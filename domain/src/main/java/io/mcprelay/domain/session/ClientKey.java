package io.mcprelay.domain.session;

import java.util.Objects;

/**
 * Who a session belongs to, for the per-client session quota: today the client's network address
 * ({@link #ofAddress}); once clients authenticate, their principal can take its place
 * ({@link #ofPrincipal}) without changing how quotas count. Stored with the session.
 *
 * @param value the key, {@code addr:<address>} or {@code principal:<name>}; at most
 *              {@value #MAX_LENGTH} characters, no control characters
 */
public record ClientKey(String value) {

    public static final int MAX_LENGTH = 200;
    /** The owner of sessions stored before owners were recorded, or whose client could not be told. */
    public static final ClientKey UNKNOWN = new ClientKey("unknown");
    private static final String PRINCIPAL_PREFIX = "principal:";

    public ClientKey {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > MAX_LENGTH || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("a client key is 1 to " + MAX_LENGTH + " printable characters");
        }
    }

    /** The key of a client known by its network address (an IP literal, without port). */
    public static ClientKey ofAddress(String address) {
        return new ClientKey("addr:" + address);
    }

    /** The key of an authenticated client, by its principal's name. */
    public static ClientKey ofPrincipal(String name) {
        return new ClientKey(PRINCIPAL_PREFIX + name);
    }

    /** {@code true} for the key of an authenticated principal: sessions are then bound to it ({@link Session#usableBy}). */
    public boolean isPrincipal() {
        return value.startsWith(PRINCIPAL_PREFIX);
    }
}
