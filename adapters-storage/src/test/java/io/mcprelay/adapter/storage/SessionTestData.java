package io.mcprelay.adapter.storage;

import io.mcprelay.domain.session.ClientInfo;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.time.Instant;
import java.util.Optional;

/**
 * Sessions for store tests, with defaults for everything a test does not care about: upstream
 * {@code alpha}, unbound, protocol 2025-06-18, client {@code test-client 1.0}, created when last seen.
 */
public final class SessionTestData {

    private SessionTestData() {
    }

    public static Builder aSession(String id) {
        return new Builder(id);
    }

    /** Builds one session; {@code createdAt} defaults to {@code lastSeenAt}. */
    public static final class Builder {
        private final String id;
        private String upstream = "alpha";
        private Optional<UpstreamSessionId> upstreamSessionId = Optional.empty();
        private ProtocolVersion protocolVersion = ProtocolVersion.V2025_06_18;
        private ClientInfo client = new ClientInfo("test-client", "1.0");
        private Instant createdAt;
        private Instant lastSeenAt = MutableClock.START;

        private Builder(String id) {
            this.id = id;
        }

        public Builder onUpstream(String name) {
            this.upstream = name;
            return this;
        }

        public Builder boundTo(String upstreamSession) {
            this.upstreamSessionId = Optional.of(new UpstreamSessionId(upstreamSession));
            return this;
        }

        public Builder withProtocolVersion(ProtocolVersion version) {
            this.protocolVersion = version;
            return this;
        }

        public Builder withClient(String name, String version) {
            this.client = new ClientInfo(name, version);
            return this;
        }

        public Builder createdAt(Instant instant) {
            this.createdAt = instant;
            return this;
        }

        public Builder lastSeenAt(Instant instant) {
            this.lastSeenAt = instant;
            return this;
        }

        public Session build() {
            return new Session(new ProxySessionId(id), upstream, upstreamSessionId, protocolVersion, client,
                    createdAt == null ? lastSeenAt : createdAt, lastSeenAt);
        }
    }
}
