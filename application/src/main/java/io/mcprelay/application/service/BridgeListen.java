package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.stream.StreamKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code subscriptions/listen} across bridge (b): a modern client's listen stream served from a 2025-era upstream
 * session of its own. The session's standalone stream (GET) carries the upstream's change notifications, and each URI
 * of {@code resourceSubscriptions} is subscribed to with {@code resources/subscribe}. The client is acknowledged with
 * the filter honoured (a list-changed flag only where the upstream advertises {@code listChanged} and a standalone
 * stream; the URIs the upstream accepted), then gets the notifications that filter asks for, tagged with the listen
 * request's id as {@code subscriptionId}, with heartbeats while the upstream is silent. When the client leaves (or the
 * upstream ends its stream, which ends the listen gracefully with an empty result), the URIs are unsubscribed and the
 * session ended.
 */
final class BridgeListen {

    private static final System.Logger LOG = System.getLogger(BridgeListen.class.getName());
    static final String ACKNOWLEDGED = "notifications/subscriptions/acknowledged";
    static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
    /** The most URIs one listen subscribes to upstream. */
    static final int MAX_URIS = 64;
    private static final JsonValue TRUE = new JsonValue.Bool(true);
    private static final Map<String, String> LIST_CHANGED = Map.of(
            "notifications/tools/list_changed", "tools",
            "notifications/prompts/list_changed", "prompts",
            "notifications/resources/list_changed", "resources");

    private final UpstreamPort upstream;
    private final BridgePool pool;
    private final StreamRelay relay;
    private final AtomicLong ids = new AtomicLong();

    BridgeListen(UpstreamPort upstream, BridgePool pool, StreamRelay relay) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.relay = Objects.requireNonNull(relay, "relay");
    }

    /** Serves the listen {@code request} (reserved keys stripped) from {@code session}, which it ends afterwards. */
    void listen(JsonValue.Obj request, BridgePool.Pooled session, ClientContext client, Exchange exchange, DownstreamPort downstream) {
        JsonValue id = request.get("id").orElseThrow();
        JsonValue.Obj filter = request.obj("params").flatMap(p -> p.obj("notifications")).orElse(JsonValue.Obj.EMPTY);
        JsonValue.Obj capabilities = session.initializeResult().obj("capabilities").orElse(JsonValue.Obj.EMPTY);
        Optional<UpstreamReply.Events> stream = switch (upstream.listen(session.session(client))) {
            case UpstreamReply.Events events -> Optional.of(events);
            case UpstreamReply other -> {
                LOG.log(System.Logger.Level.DEBUG, "bridge: upstream {0} offers no standalone stream ({1}); the listen honours nothing",
                        session.target().name(), other);
                other.close();
                yield Optional.empty();
            }
        };
        Map<String, JsonValue> honoured = new LinkedHashMap<>();
        List<String> uris = new ArrayList<>();
        if (stream.isPresent()) {
            for (String kind : List.of("tools", "prompts", "resources")) {
                String flag = kind + "ListChanged";
                boolean offered = capabilities.obj(kind).flatMap(c -> c.get("listChanged")).filter(TRUE::equals).isPresent();
                if (filter.get(flag).filter(TRUE::equals).isPresent() && offered) {
                    honoured.put(flag, TRUE);
                }
            }
            subscribe(filter, capabilities, session, client, uris);
            if (!uris.isEmpty()) {
                honoured.put("resourceSubscriptions", new JsonValue.Arr(uris.stream().<JsonValue>map(JsonValue::str).toList()));
            }
        }
        try (DownstreamPort.Stream opened = downstream.openEventStream(DownstreamPort.Head.NONE)) {
            UpstreamReply.Events events = stream.orElse(null);
            BridgeOut out = new BridgeOut(opened, () -> stream.ifPresent(UpstreamReply.Events::close), exchange, relay.interception(),
                    relay.codec());
            relay.metrics().streamOpened(StreamKind.STANDALONE);
            try (StreamSupervisor supervisor = relay.supervision().supervise(out, relay.settings(), "bridge-listen-" + id.toJson())) {
                JsonValue.Obj tag = JsonValue.obj(SUBSCRIPTION_ID, id);
                boolean there = out.emit(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "method", JsonValue.str(ACKNOWLEDGED),
                        "params", JsonValue.obj("notifications", new JsonValue.Obj(honoured), "_meta", tag)));
                if (there && (events == null || pump(events.events(), out, honoured, uris, tag, session, client))) {
                    out.emit(JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", id, "result", JsonValue.obj("_meta", tag)));
                }
            } finally {
                relay.metrics().streamClosed(StreamKind.STANDALONE);
            }
        } finally {
            stream.ifPresent(UpstreamReply.Events::close);
            for (String uri : uris) {
                call(session, client, "resources/unsubscribe", JsonValue.obj("uri", JsonValue.str(uri)));
            }
            pool.discard(session, true);
        }
    }

    /** Relays what the filter asks for; true if the upstream ended its stream (a graceful end), false if the client left. */
    private boolean pump(UpstreamEvents events, BridgeOut out, Map<String, JsonValue> honoured, List<String> uris, JsonValue.Obj tag,
                         BridgePool.Pooled session, ClientContext client) {
        while (true) {
            UpstreamEvents.Read read = events.next();
            if (out.released()) {
                return false;
            }
            if (!(read instanceof UpstreamEvents.Read.Event e)) {
                LOG.log(System.Logger.Level.DEBUG, "bridge: upstream {0} ended its standalone stream; ending the listen",
                        session.target().name());
                return true;
            }
            String data = e.event().toSseEvent().data();
            Optional<JsonValue.Obj> message = data.isEmpty() ? Optional.empty() : BridgePool.parse(data.getBytes(StandardCharsets.UTF_8));
            if (message.isEmpty() || message.get().str("method").isEmpty()) {
                continue;
            }
            JsonValue.Obj m = message.get();
            String method = m.str("method").orElseThrow();
            if (m.get("id").isPresent()) {
                answerQuestion(m, method, session, client);
                continue;
            }
            JsonValue.Obj params = m.obj("params").orElse(JsonValue.Obj.EMPTY);
            boolean wanted = LIST_CHANGED.containsKey(method) ? honoured.containsKey(LIST_CHANGED.get(method) + "ListChanged")
                    : "notifications/resources/updated".equals(method) && params.str("uri").filter(uris::contains).isPresent();
            if (!wanted) {
                continue;
            }
            JsonValue.Obj meta = params.obj("_meta").orElse(JsonValue.Obj.EMPTY).with(SUBSCRIPTION_ID, tag.get(SUBSCRIPTION_ID).orElseThrow());
            if (!out.emit(m.with("params", params.with("_meta", meta)))) {
                return false;
            }
        }
    }

    /** A server→client request on the standalone stream cannot reach a modern client: {@code ping} is answered, the rest refused. */
    private void answerQuestion(JsonValue.Obj question, String method, BridgePool.Pooled session, ClientContext client) {
        JsonValue id = question.get("id").orElseThrow();
        JsonValue.Obj answer = "ping".equals(method)
                ? JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", id, "result", JsonValue.Obj.EMPTY)
                : JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", id, "error", JsonValue.obj("code",
                        JsonValue.Num.of(JsonRpcErrorCodes.METHOD_NOT_FOUND), "message", JsonValue.str("mcp-relay cannot carry " + method
                                + " outside a call to a 2026-07-28 client")));
        upstream.send(pool.call(session.session(client), answer)).close();
    }

    private void subscribe(JsonValue.Obj filter, JsonValue.Obj capabilities, BridgePool.Pooled session, ClientContext client, List<String> uris) {
        boolean offered = capabilities.obj("resources").flatMap(c -> c.get("subscribe")).filter(TRUE::equals).isPresent();
        if (!offered || !(filter.get("resourceSubscriptions").orElse(null) instanceof JsonValue.Arr wanted)) {
            return;
        }
        for (JsonValue uri : wanted.elements()) {
            if (uris.size() >= MAX_URIS) {
                break;
            }
            if (uri instanceof JsonValue.Str s && !uris.contains(s.value())
                    && call(session, client, "resources/subscribe", JsonValue.obj("uri", uri))) {
                uris.add(s.value());
            }
        }
    }

    /** Sends a request of the bridge's own on {@code session}; whether it got a result. */
    private boolean call(BridgePool.Pooled session, ClientContext client, String method, JsonValue.Obj params) {
        String id = "mcp-relay-bridge-" + method.replace('/', '-') + "-" + ids.incrementAndGet();
        JsonValue.Obj request = JsonValue.obj("jsonrpc", JsonValue.str("2.0"), "id", JsonValue.str(id), "method", JsonValue.str(method),
                "params", params);
        try (UpstreamReply reply = upstream.send(pool.call(session.session(client), request))) {
            Optional<JsonValue.Obj> answer = switch (reply) {
                case UpstreamReply.Answer a -> BridgePool.parse(a.message());
                case UpstreamReply.Events events -> BridgePool.answerIn(events.events(), id);
                default -> Optional.empty();
            };
            return answer.flatMap(a -> a.obj("result")).isPresent();
        }
    }
}
