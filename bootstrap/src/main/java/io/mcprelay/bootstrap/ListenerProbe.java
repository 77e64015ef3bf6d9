package io.mcprelay.bootstrap;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;

/**
 * Whether a listener still takes connections: a connection to it that is refused means its server
 * socket is closed. Any other failure (out of descriptors, a timeout while the accept queue is full)
 * says nothing, so only a refusal counts.
 */
record ListenerProbe(String bind, int port) {

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    boolean refused() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target(), port), CONNECT_TIMEOUT_MILLIS);
            return false;
        } catch (ConnectException refused) {
            return refused.getMessage() != null && refused.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused");
        } catch (IOException other) {
            return false;
        }
    }

    private InetAddress target() throws UnknownHostException {
        InetAddress address = InetAddress.getByName(bind);
        return address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address;
    }
}
