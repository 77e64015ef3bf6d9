package io.mcprelay.adapter.http.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcprelay.application.port.out.SessionMessage;
import io.mcprelay.application.port.out.InterceptorStatus;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.EventId;
import io.mcprelay.domain.stream.LogState;
import java.util.List;

/** The admin API's JSON, built as trees: no annotations on domain types. */
final class AdminJson {

    /** Escapes {@code < > & '} too, so client-supplied text can never become markup if a browser renders the JSON. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
    }

    private static final class HtmlSafeEscapes extends com.fasterxml.jackson.core.io.CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] escapes;

        HtmlSafeEscapes() {
            escapes = standardAsciiEscapesForJSON();
            for (char c : new char[] {'<', '>', '&', '\''}) {
                escapes[c] = ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }

    private AdminJson() {
    }

    static ObjectNode session(Session s) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", s.id().value());
        node.put("upstream", s.upstream());
        node.put("upstreamSessionId", s.upstreamSessionId().map(Object::toString).orElse(null));
        node.put("protocolVersion", s.protocolVersion().value());
        node.put("clientName", s.client().name());
        node.put("clientVersion", s.client().version());
        node.put("owner", s.owner().value());
        node.put("createdAt", s.createdAt().toString());
        node.put("lastSeenAt", s.lastSeenAt().toString());
        return node;
    }

    /** One session with its live streams and its latest messages (data cut to {@link AdminPages#MAX_DATA} characters). */
    static ObjectNode session(Session s, List<LogState> streams, List<SessionMessage> messages) {
        ObjectNode node = session(s);
        ArrayNode streamArray = node.putArray("streams");
        for (LogState state : streams) {
            streamArray.addObject()
                    .put("id", state.stream().id().value())
                    .put("kind", state.stream().kind().name())
                    .put("openedAt", state.stream().openedAt().toString())
                    .put("firstSequence", state.firstSequence())
                    .put("lastSequence", state.lastSequence())
                    .put("retainedEvents", state.lastSequence() - state.firstSequence() + 1)
                    .put("complete", state.complete())
                    .put("lastEventId", new EventId(state.stream().id(), state.lastSequence()).text());
        }
        ArrayNode messageArray = node.putArray("recentMessages");
        for (SessionMessage m : messages) {
            messageArray.addObject()
                    .put("eventId", m.eventId().text())
                    .put("type", m.event().eventType().orElse(null))
                    .put("data", AdminPages.truncate(m.event().data()))
                    .put("truncated", m.event().data().length() > AdminPages.MAX_DATA);
        }
        return node;
    }

    static ObjectNode page(SessionPage page) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode sessions = node.putArray("sessions");
        page.sessions().forEach(s -> sessions.add(session(s)));
        node.put("total", page.total());
        node.put("nextCursor", page.nextCursor().orElse(null));
        return node;
    }

    static ArrayNode upstreams(List<UpstreamStatus> statuses) {
        ArrayNode array = MAPPER.createArrayNode();
        for (UpstreamStatus u : statuses) {
            ObjectNode node = array.addObject();
            node.put("name", u.name());
            node.put("endpoint", u.endpoint().toString());
            node.put("weight", u.weight());
            node.put("enabled", u.enabled());
            node.put("health", u.health().name());
            node.put("breaker", u.breaker());
            node.put("inFlight", u.inFlight());
            ArrayNode errors = node.putArray("recentErrors");
            u.recentErrors().forEach(e -> errors.addObject().put("at", e.at().toString()).put("what", e.what()));
        }
        return array;
    }

    /** The interception rules in order, then the code interceptors, each with its hit count. */
    static ArrayNode interceptors(List<InterceptorStatus> statuses) {
        ArrayNode array = MAPPER.createArrayNode();
        for (InterceptorStatus i : statuses) {
            array.addObject()
                    .put("name", i.name())
                    .put("kind", i.kind())
                    .put("action", i.action())
                    .put("matches", i.matches())
                    .put("hits", i.hits())
                    .put("failures", i.failures());
        }
        return array;
    }

    static ObjectNode error(String message) {
        return MAPPER.createObjectNode().put("error", message);
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(Object node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
