package io.mcprelay.application.service;

import io.mcprelay.application.port.out.upstream.UpstreamEvent;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.domain.bridge.JsonText;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.ModernEnvelope;
import java.util.Optional;

/**
 * The GET stream of a bridged (a) session, read from an upstream {@code subscriptions/listen} stream: the
 * change notifications (list changed, resources updated) pass, without the {@code subscriptionId} a legacy
 * client has no use for; the acknowledgement and the listen's own final answer are hidden (a 2025-era GET
 * stream has neither). When the session's subscriptions change, {@link #replace} swaps in a new listen stream
 * under the same GET stream: the old one is closed once the new one is open.
 */
final class BridgedListen implements UpstreamEvents {

    static final String ACKNOWLEDGED = "notifications/subscriptions/acknowledged";
    static final String SUBSCRIPTION_ID = ModernEnvelope.RESERVED_PREFIX + "subscriptionId";

    private volatile UpstreamEvents source;
    private volatile UpstreamEvents replacement;
    private volatile boolean closed;
    private final Runnable onClose;

    BridgedListen(UpstreamEvents source, Runnable onClose) {
        this.source = source;
        this.onClose = onClose;
    }

    @Override
    public Read next() {
        while (true) {
            UpstreamEvents reading = source;
            Read read = reading.next();
            if (!(read instanceof Read.Event event)) {
                UpstreamEvents next = replacement;
                if (next != null && !closed) {
                    replacement = null;
                    source = next;
                    continue;
                }
                return read;
            }
            Optional<JsonValue.Obj> message = parse(event.event().data());
            if (message.isEmpty()) {
                continue;
            }
            JsonValue.Obj m = message.get();
            Optional<String> method = m.str("method");
            if (method.isEmpty() || m.get("id").isPresent() || method.get().equals(ACKNOWLEDGED)) {
                continue; // the listen's answer (its end), a request (none in the modern era), the acknowledgement
            }
            return new Read.Event(UpstreamEvent.message(withoutSubscriptionId(m).toJson()));
        }
    }

    private static JsonValue.Obj withoutSubscriptionId(JsonValue.Obj notification) {
        Optional<JsonValue.Obj> params = notification.obj("params");
        Optional<JsonValue.Obj> meta = params.flatMap(p -> p.obj("_meta"));
        if (meta.isEmpty() || meta.get().get(SUBSCRIPTION_ID).isEmpty()) {
            return notification;
        }
        JsonValue.Obj rest = meta.get().without(SUBSCRIPTION_ID);
        JsonValue.Obj newParams = rest.members().isEmpty() ? params.get().without("_meta") : params.get().with("_meta", rest);
        return notification.with("params", newParams);
    }

    /** Reads {@code next} from now on, closing the stream read so far (the session's subscriptions changed). */
    void replace(UpstreamEvents next) {
        if (closed) {
            next.close();
            return;
        }
        replacement = next;
        source.close();
    }

    @Override
    public void close() {
        closed = true;
        UpstreamEvents pendingNext = replacement;
        if (pendingNext != null) {
            pendingNext.close();
        }
        source.close();
        onClose.run();
    }

    private static Optional<JsonValue.Obj> parse(String data) {
        if (data.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonText.parseObject(data));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
