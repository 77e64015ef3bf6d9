package io.mcprelay.bootstrap;

import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Locale;

/**
 * A listener (the main one or the admin one) that cannot bind its address. Helidon does not throw
 * when a listener fails to bind: it logs a stack trace, leaves the server stopped with port -1, and
 * the relay would announce itself ready on port -1 and exit 0. So {@link Main} tries each address
 * before anything starts ({@link #check}), which turns the usual causes (port taken, no permission,
 * no such local address) into one line and exit code {@value #EXIT_CODE}; and {@link McpRelayServer}
 * checks that each listener really runs ({@link #ifStopped}), for the rare port taken in between.
 */
final class CannotListen extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The exit code when a listener cannot bind (2 is an invalid configuration, 1 any other start-up failure). */
    static final int EXIT_CODE = 3;

    CannotListen(String host, int port, String cause) {
        super("cannot listen on " + address(host, port) + ": " + cause);
    }

    /**
     * Binds {@code host:port} for a moment and lets it go; throws naming the address and the cause
     * when that fails. Port 0 (any free port) is not tried: it cannot be taken.
     */
    static void check(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);    // as Helidon binds: a port whose old connections linger in TIME_WAIT is free
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new CannotListen(host, port, causeOf(e));
        }
    }

    /** Throws when {@code server}, just started on {@code host:port}, is not running (Helidon could not bind). */
    static void ifStopped(WebServer server, String host, int port) {
        if (!server.isRunning()) {
            check(host, port);    // names the cause when it still stands
            throw new CannotListen(host, port, "the listener did not start (see the log)");
        }
    }

    /** {@code address already in use} rather than {@code java.net.BindException: Address already in use}. */
    static String causeOf(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        if (message.startsWith("Unresolved address")) {
            return "unknown host";
        }
        return message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }

    private static String address(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
