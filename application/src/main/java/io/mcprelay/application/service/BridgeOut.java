package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The modern client's side of a bridged stream (bridge b), as {@link ModernStream} is for direct modern traffic:
 * every message goes through the interceptors ({@link Direction#EVENT}) before it is written; the supervisor sends
 * heartbeats while the upstream is silent and, once the client is found gone, closes the upstream stream at once
 * (the client leaving is the cancellation). A stream handed to a parked call ({@link #handOff}) is no longer the
 * supervisor's to close.
 */
final class BridgeOut extends UnloggedStream {

    private final Runnable closeUpstream;
    private final Exchange exchange;
    private final InterceptionService interception;
    private final MessageCodecPort codec;
    private final AtomicBoolean handedOff = new AtomicBoolean();
    private volatile boolean released;

    /** @param closeUpstream closes the upstream stream the pump reads (which ends its read) */
    BridgeOut(DownstreamPort.Stream out, Runnable closeUpstream, Exchange exchange, InterceptionService interception,
              MessageCodecPort codec) {
        super(out);
        this.closeUpstream = Objects.requireNonNull(closeUpstream, "closeUpstream");
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.interception = Objects.requireNonNull(interception, "interception");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Writes {@code message} as the interceptors leave it (an interceptor may drop it); false if the client is gone. */
    boolean emit(JsonValue.Obj message) {
        Optional<String> data = intercepted(message.toJson());
        if (data.isEmpty()) {
            return attached();
        }
        return write(new SseEvent(Optional.empty(), Optional.empty(), data.get(), Optional.empty()));
    }

    /** Whether the supervisor closed the upstream stream because the client left. */
    boolean released() {
        return released;
    }

    /** The upstream stream now belongs to a parked call: the supervisor must leave it open. */
    void handOff() {
        handedOff.set(true);
    }

    private Optional<String> intercepted(String json) {
        if (!exchange.intercepted() || !interception.intercepts(Direction.EVENT)
                || !(codec.decode(json.getBytes(StandardCharsets.UTF_8)) instanceof DecodedPayload.Decoded decoded)) {
            return Optional.of(json);
        }
        Rewrite rewrite = interception.intercept(Direction.EVENT, exchange, decoded.payload(), json);
        return rewrite.changed() ? rewrite.text() : Optional.of(json);
    }

    @Override
    public void releaseUpstream() {
        if (!handedOff.get()) {
            released = true;
            closeUpstream.run();
        }
    }
}
