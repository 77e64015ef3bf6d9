package io.mcprelay.bootstrap;

import java.net.URI;
import java.net.URISyntaxException;

/** Hides credentials from what mcp-relay prints: {@code --print-config}, error messages, reload logs. */
final class Secrets {

    /** What a masked secret is shown as. */
    static final String MASK = "********";

    private Secrets() {
    }

    /** Where {@code upstream} is, for logs and printed configuration: an HTTP endpoint with its password masked. */
    static String maskAddress(io.mcprelay.domain.routing.UpstreamTarget upstream) {
        return upstream.transport() instanceof io.mcprelay.domain.routing.UpstreamTransport.Http
                ? maskUri(upstream.address()) : upstream.address();
    }

    /**
     * {@code uri} with the password of its user information masked ({@code redis://:secret@host} becomes
     * {@code redis://:********@host}, {@code http://user:pw@host} becomes {@code http://user:********@host});
     * a user information without a colon is taken to be a password (Redis's {@code redis://secret@host}).
     */
    static String maskUri(String uri) {
        try {
            URI parsed = new URI(uri);
            String userInfo = parsed.getRawUserInfo();
            if (userInfo == null) {
                return uri;
            }
            int colon = userInfo.indexOf(':');
            String masked = colon >= 0 ? userInfo.substring(0, colon + 1) + MASK : MASK;
            return uri.replace(userInfo + "@", masked + "@");
        } catch (URISyntaxException e) {
            int at = uri.lastIndexOf('@');
            int scheme = uri.indexOf("://");
            return at > scheme && scheme >= 0 ? uri.substring(0, scheme + 3) + MASK + uri.substring(at) : uri;
        }
    }
}
