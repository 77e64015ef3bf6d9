package io.mcprelay.bootstrap;

import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.StreamId;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Mints the ids clients get: session ids of 256 bits and stream ids of 128 bits from
 * {@link SecureRandom}, base64url without padding (43 and 22 characters).
 */
final class SecureRandomIds {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    ProxySessionId nextSessionId() {
        return new ProxySessionId(randomText(32));
    }

    StreamId nextStreamId() {
        return new StreamId(randomText(16));
    }

    private String randomText(int bytes) {
        byte[] buffer = new byte[bytes];
        random.nextBytes(buffer);
        return ENCODER.encodeToString(buffer);
    }
}
