package io.mcprelay.domain.session;

import java.util.Objects;

/**
 * The session id an upstream server minted. Kept beside our own id and sent only to that upstream;
 * a client never sees it. Upstreams are trusted to follow the protocol, but the value is still
 * checked to be visible ASCII so it can never inject anything into a header.
 */
public record UpstreamSessionId(String value) {

    public UpstreamSessionId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 1024 || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw new IllegalArgumentException("an upstream session id is 1 to 1024 visible ASCII characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
