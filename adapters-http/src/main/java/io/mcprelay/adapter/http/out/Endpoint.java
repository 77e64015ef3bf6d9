package io.mcprelay.adapter.http.out;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where an upstream's MCP endpoint is, worked out once per endpoint URI rather than per request.
 *
 * @param uri           the endpoint as configured
 * @param tls           whether it is {@code https}
 * @param host          the host to connect to and to verify the certificate against (IPv6 without brackets)
 * @param port          the port, the scheme's default when the URI names none
 * @param origin        {@code scheme://host:port}, the key under which connections are reused
 * @param targetAndHost the request line after the method, and the {@code Host} header, as sent
 */
record Endpoint(URI uri, boolean tls, String host, int port, String origin, byte[] targetAndHost) {

    static Endpoint of(URI uri) {
        URI ascii = URI.create(uri.toASCIIString());
        String scheme = ascii.getScheme() == null ? "" : ascii.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("unsupported upstream URI scheme: " + uri);
        }
        String uriHost = ascii.getHost();
        if (uriHost == null || uriHost.isEmpty()) {
            throw new IllegalArgumentException("upstream URI without a host: " + uri);
        }
        boolean tls = scheme.equals("https");
        int port = ascii.getPort() == -1 ? (tls ? 443 : 80) : ascii.getPort();
        String host = uriHost.startsWith("[") ? uriHost.substring(1, uriHost.length() - 1) : uriHost;
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        String hostHeader = ascii.getPort() == -1 ? uriHost : uriHost + ":" + port;
        byte[] line = (" " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return new Endpoint(uri, tls, host, port, scheme + "://" + uriHost + ":" + port, line);
    }
}
