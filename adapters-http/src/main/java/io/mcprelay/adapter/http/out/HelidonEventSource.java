package io.mcprelay.adapter.http.out;

import io.helidon.webclient.api.HttpClientResponse;
import io.mcprelay.application.port.out.UpstreamPort;
import io.mcprelay.domain.stream.SseEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** An upstream event stream read from an open Helidon response, one event per {@link #next()}. */
final class HelidonEventSource implements UpstreamPort.EventSource {

    private final HttpClientResponse response;
    private final SseParser parser;
    private final AtomicBoolean closed = new AtomicBoolean();

    HelidonEventSource(HttpClientResponse response, int maxEventBytes) {
        this.response = response;
        this.parser = new SseParser(response.inputStream(), maxEventBytes);
    }

    @Override
    public UpstreamPort.Read next() {
        if (closed.get()) {
            return new UpstreamPort.Read.End();
        }
        try {
            Optional<SseEvent> event = parser.next();
            return event.<UpstreamPort.Read>map(UpstreamPort.Read.Event::new).orElseGet(UpstreamPort.Read.End::new);
        } catch (IOException | UncheckedIOException e) {
            return closed.get() ? new UpstreamPort.Read.End() : new UpstreamPort.Read.Broken(UpstreamFailures.describe(e));
        } catch (RuntimeException e) {
            return closed.get() ? new UpstreamPort.Read.End() : new UpstreamPort.Read.Broken(UpstreamFailures.describe(e));
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            response.close();
        }
    }
}
