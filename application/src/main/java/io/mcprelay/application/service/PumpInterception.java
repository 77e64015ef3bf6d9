package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The interceptors' pass over the events a {@link StreamPump} relays: what each event's data
 * becomes, or that it is dropped, before it is logged (so a resumed client replays what the client
 * saw). Apart from the pump because deciding whether an event goes through the interceptors at all
 * (an exchange that is intercepted, a message, a chain that intercepts events), and decoding it only
 * then, is a concern of its own beside reading, logging and writing events.
 */
final class PumpInterception {

    private final InterceptionService interception;
    private final MessageCodecPort codec;
    private final Exchange exchange;

    PumpInterception(InterceptionService interception, MessageCodecPort codec, Exchange exchange) {
        this.interception = interception;
        this.codec = codec;
        this.exchange = exchange;
    }

    /**
     * The data of {@code event} after the interceptors; empty if they dropped it. The data as it came
     * when nothing intercepts this event.
     */
    Optional<String> pass(SseEvent event) {
        String data = event.data();
        if (exchange.intercepted() && event.isMessage() && interception.intercepts(Direction.EVENT)) {
            return intercepted(data);
        }
        return Optional.of(data);
    }

    /**
     * An event's data after the interceptors; empty if they dropped it. Only called when something
     * intercepts events: otherwise the data is not even decoded.
     */
    private Optional<String> intercepted(String data) {
        if (!(codec.decode(data.getBytes(StandardCharsets.UTF_8)) instanceof DecodedPayload.Decoded decoded)) {
            return Optional.of(data);
        }
        Rewrite rewrite = interception.intercept(Direction.EVENT, exchange, decoded.payload(), data);
        return rewrite.changed() ? rewrite.text() : Optional.of(data);
    }
}
