package io.mcprelay.domain.session;

import java.util.Objects;

/**
 * The {@code Mcp-Session-Id} mcp-relay mints and gives the client. Minted ids carry at least 128
 * random bits (see the id generator port); any id parsed from a client is checked to be 1 to
 * {@value #MAX_LENGTH} visible ASCII characters (0x21–0x7E), as the protocol requires. It is never
 * the upstream's id.
 */
public record ProxySessionId(String value) {

    /** The longest session id accepted from a client. */
    public static final int MAX_LENGTH = 128;

    public ProxySessionId {
        Objects.requireNonNull(value, "value");
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("a session id is 1 to " + MAX_LENGTH + " visible ASCII characters");
        }
    }

    /** Whether {@code candidate} has the form of a session id (says nothing about whether it exists). */
    public static boolean isWellFormed(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
