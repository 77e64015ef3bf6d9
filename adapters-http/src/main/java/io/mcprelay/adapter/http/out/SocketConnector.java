package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Opens upstream connections: a blocking TCP connect bounded by the connect timeout, with
 * {@code TCP_NODELAY} and {@code SO_KEEPALIVE}, then for {@code https} a TLS handshake (SNI and
 * hostname verification on, also bounded by the connect timeout). The configured read timeout (the
 * first-byte and idle timeout) is then kept by {@link IoDeadlines}, not by the socket. A connect that
 * fails leaves no socket open.
 *
 * <p>The socket is a {@link SocketChannel}'s: reads and writes go through its blocking streams, and
 * the channel lets a pooled connection be checked for a close by the upstream
 * without waiting ({@link UpstreamConnection#isStale()}).
 */
final class SocketConnector {

    private final int connectTimeoutMillis;
    private final IoDeadlines deadlines;
    private final Supplier<SSLSocketFactory> tls;

    /** @param tls the TLS context for https upstreams; null for the JVM's default, made on first use */
    SocketConnector(UpstreamClientConfig config, SSLContext tls) {
        this.connectTimeoutMillis = millis(config.connectTimeout().toMillis());
        this.deadlines = new IoDeadlines(config.readTimeout());
        this.tls = tls != null ? tls::getSocketFactory : SocketConnector::defaultFactory;
    }

    UpstreamConnection connect(Endpoint endpoint) throws IOException {
        SocketChannel channel = SocketChannel.open();
        Socket socket = channel.socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), connectTimeoutMillis);
            if (endpoint.tls()) {
                socket = handshake(socket, endpoint);
            }
            UpstreamConnection connection = new UpstreamConnection(channel, socket, endpoint.origin(), deadlines);
            deadlines.watch(connection);
            return connection;
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
                channel.close();
            } catch (IOException ignored) {
                // failed already
            }
            throw e;
        }
    }

    private Socket handshake(Socket plain, Endpoint endpoint) throws IOException {
        SSLSocket socket = (SSLSocket) tls.get().createSocket(plain, endpoint.host(), endpoint.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(endpoint.host())) {
            parameters.setServerNames(List.of(new SNIHostName(endpoint.host())));
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(connectTimeoutMillis);
        socket.startHandshake();
        socket.setSoTimeout(0);
        return socket;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }

    private static SSLSocketFactory defaultFactory() {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's default TLS context is not available", e);
        }
    }

    private static int millis(long millis) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }
}
