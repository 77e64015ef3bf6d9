package io.mcprelay.adapter.http.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream below HTTP, for faults a real server cannot produce: a loopback TCP server that runs
 * the test's {@link Conversation} on each accepted connection, on a virtual thread. It counts
 * connections and closes every socket it accepted when closed.
 */
public final class RawUpstream implements AutoCloseable {

    /** What the server does with one accepted connection; the socket is closed afterwards. */
    @FunctionalInterface
    public interface Conversation {
        void talk(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Conversation conversation;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    private RawUpstream(Conversation conversation) {
        try {
            this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.conversation = conversation;
        this.acceptor = Thread.ofVirtual().name("raw-upstream-acceptor").start(this::acceptAll);
    }

    public static RawUpstream start(Conversation conversation) {
        return new RawUpstream(conversation);
    }

    /** A port on which nothing listens (bound, then released). */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/mcp");
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /**
     * Connections whose conversation is still running: a conversation that writes until its write
     * fails ends only once the client has let go of the connection.
     */
    public int openConnections() {
        return sockets.size();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                Thread.ofVirtual().name("raw-upstream-connection").start(() -> {
                    try (socket) {
                        conversation.talk(socket);
                    } catch (Exception ignored) {
                        // the client may go away at any point; that is what these tests provoke
                    } finally {
                        sockets.remove(socket);
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One HTTP request as read off the socket: its head (request line and headers) and its body. */
    public record Request(String head, String body) {
        /** The request line's method, such as {@code POST}. */
        public String method() {
            return head.substring(0, Math.max(0, head.indexOf(' ')));
        }
    }

    /** Reads one HTTP request: the head up to the blank line, then a {@code Content-Length} body (UTF-8). */
    public static Request readRequest(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed before a whole request head");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new Request(text, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    /** Writes {@code text} as ISO-8859-1 bytes and flushes. */
    public static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /**
     * Blocks until the client closes the connection (or it breaks). Drains in blocks: a client that
     * wrote megabytes before giving up leaves them in the socket buffers, and reading those a byte (a
     * system call) at a time took seconds on a busy machine.
     */
    public static void awaitClientClose(Socket socket) {
        byte[] drained = new byte[16 * 1024];
        try {
            while (socket.getInputStream().read(drained) >= 0) {
                // drain until the client is gone
            }
        } catch (IOException ignored) {
            // reset or closed: gone either way
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
