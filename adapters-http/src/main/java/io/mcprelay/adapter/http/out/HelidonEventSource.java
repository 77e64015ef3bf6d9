package io.mcprelay.adapter.http.out;

import io.helidon.webclient.api.HttpClientResponse;
import io.mcprelay.application.port.out.UpstreamPort;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream event stream read from an open Helidon response, one event per {@link #next()}. The
 * response and its place in the upstream's pool are released once, by {@link #close()}, or as soon
 * as the stream ends or breaks.
 */
final class HelidonEventSource implements UpstreamPort.EventSource {

    private final HttpClientResponse response;
    private final UpstreamPools.Lease lease;
    private final SseParser parser;
    private final AtomicBoolean closed = new AtomicBoolean();

    HelidonEventSource(HttpClientResponse response, int maxEventBytes, UpstreamPools.Lease lease) {
        this.response = response;
        this.lease = lease;
        this.parser = new SseParser(response.inputStream(), maxEventBytes);
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
            try {
                response.close();
            } finally {
                lease.close();
            }
        }
    }
}
