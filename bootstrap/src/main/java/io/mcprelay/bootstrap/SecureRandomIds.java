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

    /** An id for this process: the host name's first label and 64 random bits. */
    String nextInstanceId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "mcp-relay").replaceAll("[^A-Za-z0-9-]", "");
        return (host.isEmpty() ? "mcp-relay" : host.length() > 24 ? host.substring(0, 24) : host) + "-" + randomText(8);
    }

    private String randomText(int bytes) {
        byte[] buffer = new byte[bytes];
        random.nextBytes(buffer);
        return ENCODER.encodeToString(buffer);
    }
}
