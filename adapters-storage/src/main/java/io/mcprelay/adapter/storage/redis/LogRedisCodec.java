package io.mcprelay.adapter.storage.redis;

import io.mcprelay.application.port.out.LogSlice;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import io.mcprelay.domain.stream.StreamKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A log's meta hash as a {@link LogState}, and its stream entries as {@link LoggedEvent}s.
 *
 * <p>The stream's request ids are one field: each id as its kind ({@code n} for a number kept as
 * its JSON literal, {@code s} for a string), the length of its text, a colon and the text, one after
 * another ({@code n2:42s3:a:b}). Length-prefixed, so an id may hold any character.
 */
final class LogRedisCodec {

    private LogRedisCodec() {
    }

    static String requests(List<RequestId> ids) {
        StringBuilder text = new StringBuilder();
        for (RequestId id : ids) {
            String value = switch (id) {
                case RequestId.NumericId numeric -> numeric.literal();
                case RequestId.StringId string -> string.value();
            };
            text.append(id instanceof RequestId.NumericId ? 'n' : 's').append(value.length()).append(':').append(value);
        }
        return text.toString();
    }

    static List<RequestId> requests(String text) {
        List<RequestId> ids = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            char kind = text.charAt(at);
            int colon = text.indexOf(':', at);
            int length = Integer.parseInt(text.substring(at + 1, colon));
            String value = text.substring(colon + 1, colon + 1 + length);
            ids.add(switch (kind) {
                case 'n' -> new RequestId.NumericId(value);
                case 's' -> new RequestId.StringId(value);
                default -> throw new IllegalStateException("unknown request id kind " + kind);
            });
            at = colon + 1 + length;
        }
        return ids;
    }

    /** The state a meta hash holds; empty for an empty hash (no such log). */
    static Optional<LogState> state(StreamId stream, Map<String, String> meta) {
        if (meta == null || meta.isEmpty()) {
            return Optional.empty();
        }
        try {
            StreamInfo info = new StreamInfo(stream, new ProxySessionId(meta.get("session")), StreamKind.valueOf(meta.get("kind")),
                    SessionRedisCodec.instant(meta.get("openedAt")), requests(meta.getOrDefault("requests", "")));
            return Optional.of(new LogState(info, Long.parseLong(meta.get("firstSequence")), Long.parseLong(meta.get("lastSequence")),
                    "1".equals(meta.get("complete")), Optional.ofNullable(meta.get("upstreamCursor"))));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the replay log of stream " + stream + " in Redis is malformed: " + meta.keySet(), e);
        }
    }

    /** What the read script returned: {@code {}} for no log, else {@code {meta, entries}}. */
    static LogSlice slice(StreamId stream, List<Object> reply) {
        if (reply == null || reply.isEmpty()) {
            return LogSlice.missing();
        }
        return slice(stream, (List<?>) reply.get(0), (List<?>) reply.get(1));
    }

    /**
     * A log's meta hash (as HGETALL returns it) and entries (as XRANGE does), however a script returned
     * them. Every caller hands over the lists Lettuce made, never a view of them: the followers' reads
     * compile this with those types, and a take-over's {@code subList} once made the JIT throw that
     * code away and compile it again in the middle of a take-over storm.
     */
    static LogSlice slice(StreamId stream, List<?> meta, List<?> entries) {
        Optional<LogState> state = state(stream, pairs(meta));
        if (state.isEmpty()) {
            return LogSlice.missing();
        }
        List<LoggedEvent> events = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            events.add(event((List<?>) entry));
        }
        return new LogSlice(events, state);
    }

    /** One XRANGE entry, {@code [id, [field, value, ...]]}, whose id is {@code <sequence>-1}. */
    private static LoggedEvent event(List<?> entry) {
        String id = (String) entry.get(0);
        Map<String, String> fields = pairs((List<?>) entry.get(1));
        return new LoggedEvent(Long.parseLong(id.substring(0, id.indexOf('-'))), Optional.ofNullable(fields.get("type")),
                fields.get("data"), Optional.ofNullable(fields.get("upstreamId")));
    }

    /** A field of a hash as HGETALL returns it (a field/value list); "" when it has none. */
    static String field(List<?> flat, String name) {
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (name.equals(flat.get(i))) {
                return (String) flat.get(i + 1);
            }
        }
        return "";
    }

    private static Map<String, String> pairs(List<?> flat) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return map;
    }
}
