package io.mcprelay.adapter.http.out;

import java.io.IOException;

/**
 * An upstream event stream read off a pooled socket. Closing while another thread is blocked in
 * {@link #next()} closes the socket, and that {@code next()} then returns
 * {@link io.mcprelay.application.port.out.upstream.UpstreamEvents.Read.End}. A body that ends with the connection
 * ends without an exception here, so any failure is a break.
 */
final class SocketEventSource extends ParsedEventSource {

    private final SocketExchange exchange;

    SocketEventSource(SocketExchange exchange, int maxEventBytes) {
        super(exchange.body(), maxEventBytes);
        this.exchange = exchange;
        exchange.carryingStream();
    }

    @Override
    boolean isProperEnd(Exception failure) {
        return false;
    }

    @Override
    void awaitInput(Runnable beforeWaiting) throws IOException {
        exchange.body().awaitInput(beforeWaiting);
    }

    @Override
    void release() {
        exchange.release();
    }
}
