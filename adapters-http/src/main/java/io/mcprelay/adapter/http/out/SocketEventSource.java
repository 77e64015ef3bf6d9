package io.mcprelay.adapter.http.out;

import io.mcprelay.application.port.out.UpstreamPort;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream event stream read off a pooled socket, one event per {@link #next()}. The exchange (its
 * connection and its place in the pool) is released once, by {@link #close()} from any thread, or as
 * soon as the stream ends or breaks. Closing while another thread is blocked in {@link #next()}
 * closes the socket, and that {@code next()} then returns {@link UpstreamPort.Read.End}.
 */
final class SocketEventSource implements UpstreamPort.EventSource {

    private final SocketExchange exchange;
    private final SseParser parser;
    private final AtomicBoolean closed = new AtomicBoolean();

    SocketEventSource(SocketExchange exchange, int maxEventBytes) {
        this.exchange = exchange;
        this.parser = new SseParser(exchange.body(), maxEventBytes);
    }

    @Override
    public UpstreamPort.Read next() {
        if (closed.get()) {
            return new UpstreamPort.Read.End();
        }
        UpstreamPort.Read read;
        try {
            read = parser.next().<UpstreamPort.Read>map(UpstreamPort.Read.Event::new).orElseGet(UpstreamPort.Read.End::new);
        } catch (IOException | RuntimeException e) {
            // a body that ends with the connection ends without an exception, so any failure is a break
            read = closed.get() ? new UpstreamPort.Read.End() : new UpstreamPort.Read.Broken(UpstreamFailures.describe(e));
        }
        if (!(read instanceof UpstreamPort.Read.Event)) {
            close();
        }
        return read;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            exchange.release();
        }
    }
}
