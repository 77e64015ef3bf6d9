package io.mcprelay.domain.session;

import java.time.Instant;
import java.util.Optional;

/** A session builder with sensible defaults: {@code aSession().withProtocolVersion(...).build()}. */
final class SessionTestData {

    static final Instant T0 = Instant.parse("2025-06-18T10:00:00Z");

    private ProxySessionId id = new ProxySessionId("proxy-session-1");
    private String upstream = "primary";
    private Optional<UpstreamSessionId> upstreamSessionId = Optional.of(new UpstreamSessionId("upstream-session-1"));
    private ProtocolVersion protocolVersion = ProtocolVersion.V2025_06_18;
    private ClientInfo client = new ClientInfo("test-client", "1.0.0");
    private Instant createdAt = T0;
    private Instant lastSeenAt = T0;

    private SessionTestData() {
    }

    static SessionTestData aSession() {
        return new SessionTestData();
    }

    SessionTestData withId(String value) {
        id = new ProxySessionId(value);
        return this;
    }

    SessionTestData withUpstream(String name) {
        upstream = name;
        return this;
    }

    SessionTestData withUpstreamSessionId(String value) {
        upstreamSessionId = Optional.of(new UpstreamSessionId(value));
        return this;
    }

    SessionTestData stateless() {
        upstreamSessionId = Optional.empty();
        return this;
    }

    SessionTestData withProtocolVersion(ProtocolVersion value) {
        protocolVersion = value;
        return this;
    }

    SessionTestData createdAt(Instant value) {
        createdAt = value;
        if (lastSeenAt.isBefore(value)) {
            lastSeenAt = value;
        }
        return this;
    }

    SessionTestData lastSeenAt(Instant value) {
        lastSeenAt = value;
        return this;
    }

    Session build() {
        return new Session(id, upstream, upstreamSessionId, protocolVersion, client, createdAt, lastSeenAt);
    }
}
