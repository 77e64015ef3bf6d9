package io.mcprelay.adapter.http.out;

import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.mcprelay.application.port.out.UpstreamPort;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream event stream read from an open Helidon response, one event per {@link #next()}. The
 * response and its place in the upstream's pool are released once, by {@link #close()}, or as soon
 * as the stream ends or breaks.
 *
 * <p>A body with neither {@code Content-Length} nor chunked encoding ends when the upstream closes the
 * connection (HTTP/1.1 allows that): Helidon reports that close as missing data, but it is the
 * stream's proper end, not a break. In a framed body the same close is a break.
 */
final class HelidonEventSource implements UpstreamPort.EventSource {

    private final HttpClientResponse response;
    private final UpstreamPools.Lease lease;
    private final SseParser parser;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean endsWithTheConnection;

    HelidonEventSource(HttpClientResponse response, int maxEventBytes, UpstreamPools.Lease lease) {
        this.response = response;
        this.lease = lease;
        this.parser = new SseParser(response.inputStream(), maxEventBytes);
        this.endsWithTheConnection = response.headers().contentLength().isEmpty()
                && !response.headers().contains(HeaderValues.TRANSFER_ENCODING_CHUNKED);
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
            boolean properEnd = closed.get() || endsWithTheConnection && UpstreamFailures.isClosedEarly(e);
            read = properEnd ? new UpstreamPort.Read.End() : new UpstreamPort.Read.Broken(UpstreamFailures.describe(e));
        }
        if (!(read instanceof UpstreamPort.Read.Event)) {
            close();
        }
        return read;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                response.close();
            } finally {
                lease.close();
            }
        }
    }
}
