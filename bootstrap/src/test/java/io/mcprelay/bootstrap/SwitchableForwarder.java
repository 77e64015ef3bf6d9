package io.mcprelay.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder standing in for a plain L4 load balancer without stickiness: every new
 * inbound connection is forwarded to the currently selected target port, and {@link #switchTo}
 * moves the target and closes every open forwarded connection (both sides), so that a client's
 * next request has to open a new connection, which reaches the new target.
 *
 * <p>One virtual thread accepts; each forwarded connection has one virtual thread per direction
 * with a fixed {@value #BUFFER_BYTES}-byte buffer. The target port of every connection opened is
 * recorded, in order, so a test can prove which target served which requests: bytes only ever flow
 * over a connection to the target that was selected when the connection was opened.
 */
final class SwitchableForwarder implements AutoCloseable {

    private static final int BUFFER_BYTES = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ServerSocket listener;
    private final Thread acceptor;
    private final Set<Thread> pumps = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private int target;
    /** Guarded by {@link #lock}. */
    private final Set<Link> open = new HashSet<>();
    /** Guarded by {@link #lock}: the target of every connection opened, in opening order. */
    private final List<Integer> opened = new ArrayList<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private SwitchableForwarder(ServerSocket listener, int target) {
        this.listener = listener;
        this.target = target;
        this.acceptor = Thread.ofVirtual().name("forwarder-accept-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    /** Starts forwarding a free loopback port to {@code targetPort} on loopback. */
    static SwitchableForwarder to(int targetPort) {
        checkPort(targetPort);
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(LOOPBACK, 0), 64);
            return new SwitchableForwarder(listener, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on a free loopback port", e);
        }
    }

    /** The port clients connect to. */
    int port() {
        return listener.getLocalPort();
    }

    /** The currently selected target port. */
    int target() {
        synchronized (lock) {
            return target;
        }
    }

    /**
     * Selects {@code targetPort} for every connection opened from now on and closes every open
     * forwarded connection, on both sides. Returns how many connections were closed.
     */
    int switchTo(int targetPort) {
        checkPort(targetPort);
        List<Link> toClose;
        synchronized (lock) {
            target = targetPort;
            toClose = List.copyOf(open);
            open.clear();
        }
        toClose.forEach(Link::close);
        return toClose.size();
    }

    /** The target port of every connection forwarded so far, in the order they were opened. */
    List<Integer> connectionTargets() {
        synchronized (lock) {
            return List.copyOf(opened);
        }
    }

    /** How many forwarded connections are open now. */
    int openConnections() {
        synchronized (lock) {
            return open.size();
        }
    }

    @Override
    public void close() {
        List<Link> toClose;
        synchronized (lock) {
            closed = true;
            toClose = List.copyOf(open);
            open.clear();
        }
        closeQuietly(listener);
        toClose.forEach(Link::close);
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        List<Thread> threads = new ArrayList<>(pumps);
        threads.add(acceptor);
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // the listener was closed
            }
            Link link = connect(client);
            if (link != null) {
                startPump(link, link.client, link.upstream, "in");
                startPump(link, link.upstream, link.client, "out");
            }
        }
    }

    /**
     * Opens the upstream side while holding the lock, so a connection is always opened to the
     * target selected at that moment and is always seen by a concurrent {@link #switchTo}.
     */
    private Link connect(Socket client) {
        synchronized (lock) {
            if (closed) {
                closeQuietly(client);
                return null;
            }
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(LOOPBACK, target), CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                closeQuietly(upstream);
                closeQuietly(client); // like a balancer whose backend is down: the client sees a reset
                return null;
            }
            Link link = new Link(client, upstream);
            open.add(link);
            opened.add(target);
            return link;
        }
    }

    private void startPump(Link link, Socket from, Socket to, String direction) {
        Thread pump = Thread.ofVirtual().name("forwarder-" + port() + "-" + direction).unstarted(() -> {
            try {
                pump(from, to);
            } finally {
                if (link.directionDone()) {
                    synchronized (lock) {
                        open.remove(link);
                    }
                    link.close();
                }
                pumps.remove(Thread.currentThread());
            }
        });
        pumps.add(pump);
        pump.start();
    }

    /** Copies until end of stream, then half-closes the other side; on any error closes both sides. */
    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) { // reset, or closed by switchTo/close
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // best effort
        }
    }

    /** One forwarded connection: the accepted client socket and the socket to the target. */
    private static final class Link {
        private final Socket client;
        private final Socket upstream;
        private int directionsDone; // guarded by this

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        /** Records that one direction finished; {@code true} when both have. */
        synchronized boolean directionDone() {
            return ++directionsDone == 2;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }
}
