package io.mcprelay.bootstrap;

import io.mcprelay.application.port.out.SessionIdGeneratorPort;
import io.mcprelay.domain.session.ProxySessionId;
import java.security.SecureRandom;
import java.util.Base64;

/** Mints proxy session ids: 256 bits from {@link SecureRandom}, base64url without padding (43 characters). */
final class SecureRandomSessionIds implements SessionIdGeneratorPort {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    @Override
    public ProxySessionId next() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new ProxySessionId(ENCODER.encodeToString(bytes));
    }
}
