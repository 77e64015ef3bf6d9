package io.mcprelay.adapter.http.in;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.spi.ServerConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Helidon's HTTP/1 connection over a {@link ClientConnection}: the connection reads through it (so
 * every byte is checked first), and gives its place back when it ends.
 */
final class GuardedConnection implements ServerConnection, InterruptableTask<Void> {

    private final ServerConnection delegate;
    private final ClientConnection client;

    private GuardedConnection(ServerConnection delegate, ClientConnection client) {
        this.delegate = delegate;
        this.client = client;
    }

    /** Builds {@code http1}'s connection on a context whose reader is {@code client}. */
    static GuardedConnection of(io.helidon.webserver.spi.ServerConnectionSelector http1, ConnectionContext ctx, ClientConnection client) {
        client.attach(ctx.serverSocket());
        DataReader reader = DataReader.create(client);
        return new GuardedConnection(http1.connection(new Context(ctx, reader)), client);
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        try {
            delegate.handle(limit);
        } finally {
            client.ended();
        }
    }

    @Override
    public boolean canInterrupt() {
        return delegate instanceof InterruptableTask<?> task && task.canInterrupt();
    }

    @Override
    public Duration idleTime() {
        return delegate.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
        delegate.close(interrupt);
    }

    /** Helidon's connection context with another reader. */
    private record Context(ConnectionContext ctx, DataReader reader) implements ConnectionContext {

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
