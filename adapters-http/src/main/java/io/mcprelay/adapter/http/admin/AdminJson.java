package io.mcprelay.adapter.http.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcprelay.application.port.out.SessionMessage;
import io.mcprelay.application.port.out.InterceptorStatus;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.domain.bridge.BridgedSession;
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
        boolean bridged = BridgedSession.isBridged(s.upstreamSessionId());
        // a bridged session's slot holds mcp-relay's own bridge state, not an upstream's session id
        node.put("upstreamSessionId", bridged ? null : s.upstreamSessionId().map(Object::toString).orElse(null));
        node.put("bridged", bridged);
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

    /** As {@link #session(Session, List, List)}, with its latest messages as this instance relayed them ({@code traffic}). */
    static ObjectNode session(Session s, List<LogState> streams, List<SessionMessage> messages, List<SessionTraffic.Message> traffic) {
        ObjectNode node = session(s, streams, messages);
        ArrayNode array = node.putArray("traffic");
        for (SessionTraffic.Message m : traffic) {
            ObjectNode entry = array.addObject()
                    .put("at", m.at().toString())
                    .put("direction", m.direction().name())
                    .put("method", m.method())
                    .put("id", m.id().orElse(null))
                    .put("answer", m.answer().orElse(null));
            m.latencyMillis().ifPresentOrElse(ms -> entry.put("latencyMillis", ms), () -> entry.putNull("latencyMillis"));
        }
        return node;
    }

    /**
     * The console charts' numbers: the last five minutes in 5-second steps, the last minute summed up,
     * and the open streams and sessions now.
     */
    static ObjectNode live(TrafficWindow window, int openStreams, long sessions, AdminPages.Header header) {
        ObjectNode node = MAPPER.createObjectNode();
        TrafficWindow.Step minute = window.steps(60, 60).getFirst();
        node.put("windowSeconds", TrafficWindow.WINDOW_SECONDS);
        node.put("stepSeconds", 5);
        node.put("requestsPerSecond", minute.requestsPerSecond());
        node.put("clientErrorRate", minute.count() == 0 ? 0 : minute.clientErrors() / (double) minute.count());
        node.put("upstreamFaultRate", minute.count() == 0 ? 0 : minute.upstreamFaults() / (double) minute.count());
        node.put("p50Millis", minute.p50Millis());
        node.put("p99Millis", minute.p99Millis());
        node.put("openStreams", openStreams);
        node.put("sessions", sessions);
        node.put("uptime", AdminPages.duration(header.uptime()));
        node.put("uptimeSeconds", header.uptime().toSeconds());
        ArrayNode steps = node.putArray("steps");
        for (TrafficWindow.Step step : window.steps(TrafficWindow.WINDOW_SECONDS, 5)) {
            steps.addObject()
                    .put("at", java.time.Instant.ofEpochSecond(step.epochSecond()).toString())
                    .put("count", step.count())
                    .put("requestsPerSecond", step.requestsPerSecond())
                    .put("clientErrors", step.clientErrors())
                    .put("upstreamFaults", step.upstreamFaults())
                    .put("p50Millis", step.p50Millis())
                    .put("p99Millis", step.p99Millis())
                    .put("openStreams", step.openStreams());
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
            node.put("drained", u.drained());
            node.put("exchanges", u.exchanges());
            node.put("failures", u.failures());
            node.put("lastCheck", u.lastCheck().map(Object::toString).orElse(null));
            node.put("healthSince", u.healthSince().toString());
            ObjectNode era = node.putObject("era");
            era.put("configured", u.era().configured().word());
            era.put("serves", u.era().serves());
            ArrayNode versions = era.putArray("versions");
            u.era().probed().supportedVersions().forEach(versions::add);
            era.put("probedAt", u.era().probedAt().map(Object::toString).orElse(null));
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
