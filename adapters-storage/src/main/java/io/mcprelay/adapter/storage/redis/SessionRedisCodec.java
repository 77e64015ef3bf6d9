package io.mcprelay.adapter.storage.redis;

import io.mcprelay.domain.session.ClientInfo;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A session as the fields of its Redis hash, and back. Instants are written as
 * {@code <epoch seconds>.<nine digits of nanoseconds>}: exact, and comparable inside a script.
 * The hash also holds {@code ix}, the session's member in the indexes.
 */
final class SessionRedisCodec {

    static final String INDEX_MEMBER = "ix";

    private SessionRedisCodec() {
    }

    /** The hash's fields and values, flat, as HSET takes them. */
    static List<String> fields(Session session, String indexMember) {
        List<String> fields = new ArrayList<>(List.of(
                "id", session.id().value(),
                "upstream", session.upstream(),
                "protocolVersion", session.protocolVersion().value(),
                "clientName", session.client().name(),
                "clientVersion", session.client().version(),
                "createdAt", instant(session.createdAt()),
                "lastSeenAt", instant(session.lastSeenAt()),
                "owner", session.owner().value(),
                INDEX_MEMBER, indexMember));
        session.upstreamSessionId().ifPresent(upstream -> {
            fields.add("upstreamSessionId");
            fields.add(upstream.value());
        });
        return fields;
    }

    /** The session a hash holds; empty for an empty hash (no such key). */
    static Optional<Session> fromHash(Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Session(
                    new ProxySessionId(required(hash, "id")),
                    required(hash, "upstream"),
                    Optional.ofNullable(hash.get("upstreamSessionId")).map(UpstreamSessionId::new),
                    new ProtocolVersion(required(hash, "protocolVersion")),
                    new ClientInfo(required(hash, "clientName"), required(hash, "clientVersion")),
                    instant(required(hash, "createdAt")),
                    instant(required(hash, "lastSeenAt")),
                    Optional.ofNullable(hash.get("owner")).map(ClientKey::new).orElse(ClientKey.UNKNOWN)));
        } catch (RuntimeException e) {
            throw new IllegalStateException("a session hash in Redis is malformed: " + hash.keySet(), e);
        }
    }

    /** The session in a script's flat field/value list; empty for an empty list. */
    static Optional<Session> fromFlat(List<Object> flat) {
        Map<String, String> hash = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            hash.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return fromHash(hash);
    }

    static String instant(Instant instant) {
        return instant.getEpochSecond() + "." + "%09d".formatted(instant.getNano());
    }

    static Instant instant(String text) {
        int dot = text.indexOf('.');
        return Instant.ofEpochSecond(Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
    }

    private static String required(Map<String, String> hash, String field) {
        String value = hash.get(field);
        if (value == null) {
            throw new IllegalStateException("missing field " + field);
        }
        return value;
    }
}
