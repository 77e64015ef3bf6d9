package io.mcprelay.adapter.http.out;

import io.helidon.webclient.api.ConnectedSocketChannelInfo;
import io.helidon.webclient.api.ConnectedSocketInfo;
import io.helidon.webclient.api.ConnectionListener;
import java.io.IOException;
import java.net.Socket;
import java.util.function.Supplier;

/**
 * Closes connections that Helidon WebClient (4.5) would leave open. When an answer is not HTTP at all
 * (no status line), Helidon throws without closing the connection it just opened; the socket then
 * stays open until garbage collection. As this listener is installed on our clients, it remembers
 * the socket each connect opens on the calling thread (Helidon connects on the caller's thread), so
 * that a failed call can close it.
 *
 * <p>A pooled connection that was reused and then answered garbage is not covered: Helidon tells
 * nobody which one it was.
 *
 * <p>The same note tells whether a call ran on a connection of its own or on a pooled one
 * ({@link Attempt#openedConnection()}): a pooled connection that fails at once was most likely
 * closed by the upstream while idle, and the request may go once more on a fresh connection.
 */
final class FreshConnections implements ConnectionListener {

    static final FreshConnections LISTENER = new FreshConnections();

    private static final ThreadLocal<Socket> OPENED_HERE = new ThreadLocal<>();

    private FreshConnections() {
    }

    @Override
    public void socketConnected(ConnectedSocketInfo info) {
        OPENED_HERE.set(info.socket());
    }

    @Override
    public void socketChannelConnected(ConnectedSocketChannelInfo info) {
        // only plain sockets are used
    }

    /**
     * What one call did: its result, or the exception it threw (then {@code result} is null), and
     * whether it opened a connection of its own (false: it ran on a pooled one, or none was made).
     */
    record Attempt<T>(T result, RuntimeException failure, boolean openedConnection) {
        boolean failed() {
            return failure != null;
        }
    }

    /** Runs {@code call}; if it throws, closes the connection it opened on this thread, if any. */
    static <T> Attempt<T> closingOnFailure(Supplier<T> call) {
        OPENED_HERE.remove();
        try {
            T result = call.get();
            return new Attempt<>(result, null, OPENED_HERE.get() != null);
        } catch (RuntimeException e) {
            boolean opened = OPENED_HERE.get() != null;
            closeOpenedHere();
            return new Attempt<>(null, e, opened);
        } catch (Error e) {
            closeOpenedHere();
            throw e;
        } finally {
            OPENED_HERE.remove();
        }
    }

    /** Runs {@code call}, then closes the connection it opened on this thread, if any (for one-off calls). */
    static <T> T closingAfter(Supplier<T> call) {
        OPENED_HERE.remove();
        try {
            return call.get();
        } finally {
            closeOpenedHere();
            OPENED_HERE.remove();
        }
    }

    private static void closeOpenedHere() {
        Socket socket = OPENED_HERE.get();
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // it is being discarded either way
            }
        }
    }
}
