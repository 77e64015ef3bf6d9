package io.mcprelay.bootstrap;

import io.mcprelay.application.service.StreamSettings;
import io.mcprelay.domain.intercept.RuleSet;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.stream.ReplayLogLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.util.Objects;

/**
 * Everything mcp-relay can be told in its configuration file, environment and command line,
 * validated. See {@link Settings} for how they combine and docs/configuration.md for every key.
 *
 * @param rules    the interception rules (docs/interceptors.md); none by default
 * @param fairness the upstream stream budget, the share of a session and the quota of a client
 * @param clients  what clients may hold: connection deadlines and cap, body memory (docs/security.md)
 * @param auth     whether and how clients authenticate with bearer tokens (docs/auth.md); off by default
 * @param upstreamAuth mcp-relay's own credentials by upstream name (docs/auth.md, "Credentials for
 *                 upstreams"); none by default
 */
record RelayOptions(
        List<UpstreamTarget> upstreams,
        String bind,
        int port,
        int maxBodyBytes,
        Duration sessionTtl,
        int maxSessions,
        List<String> allowedOrigins,
        List<String> allowedHosts,
        boolean forwardCredentials,
        Duration upstreamConnectTimeout,
        Duration upstreamReadTimeout,
        StreamSettings streams,
        ReplayLogLimits replayLog,
        UpstreamOptions upstreamPolicies,
        StoreOptions store,
        AdminOptions admin,
        RuleSet rules,
        FairnessOptions fairness,
        ClientOptions clients,
        AuthOptions auth,
        Map<String, UpstreamAuth> upstreamAuth) {

    static final String DEFAULT_BIND = "127.0.0.1";
    static final int DEFAULT_PORT = 8080;
    static final Duration DEFAULT_SESSION_TTL = Duration.ofMinutes(30);
    static final int DEFAULT_MAX_SESSIONS = 100_000;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(5);

    RelayOptions {
        upstreams = List.copyOf(upstreams);
        Objects.requireNonNull(bind, "bind");
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        Objects.requireNonNull(upstreamConnectTimeout, "upstreamConnectTimeout");
        Objects.requireNonNull(upstreamReadTimeout, "upstreamReadTimeout");
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(replayLog, "replayLog");
        Objects.requireNonNull(upstreamPolicies, "upstreamPolicies");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(fairness, "fairness");
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(auth, "auth");
        upstreamAuth = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(upstreamAuth));
        for (String named : upstreamAuth.keySet()) {
            if (upstreams.stream().noneMatch(u -> u.name().equals(named) && u.transport() instanceof UpstreamTransport.Http)) {
                throw new IllegalArgumentException("upstreams: credentials for " + named + ", which is no HTTP upstream");
            }
        }
        for (String named : upstreamPolicies.weights().keySet()) {
            if (upstreams.stream().noneMatch(u -> u.name().equals(named))) {
                throw new IllegalArgumentException("--weight: no upstream is named " + named);
            }
        }
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("--upstream: at least one upstream MCP endpoint is required");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port: must be 0 to 65535, not " + port);
        }
    }

    /** The options without credentials for upstreams. */
    RelayOptions(List<UpstreamTarget> upstreams, String bind, int port, int maxBodyBytes, Duration sessionTtl, int maxSessions,
                 List<String> allowedOrigins, List<String> allowedHosts, boolean forwardCredentials, Duration upstreamConnectTimeout,
                 Duration upstreamReadTimeout, StreamSettings streams, ReplayLogLimits replayLog, UpstreamOptions upstreamPolicies,
                 StoreOptions store, AdminOptions admin, RuleSet rules, FairnessOptions fairness, ClientOptions clients, AuthOptions auth) {
        this(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts, forwardCredentials,
                upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules, fairness, clients,
                auth, Map.of());
    }

    /** The options without interception rules. */
    RelayOptions(List<UpstreamTarget> upstreams, String bind, int port, int maxBodyBytes, Duration sessionTtl, int maxSessions,
                 List<String> allowedOrigins, List<String> allowedHosts, boolean forwardCredentials, Duration upstreamConnectTimeout,
                 Duration upstreamReadTimeout, StreamSettings streams, ReplayLogLimits replayLog, UpstreamOptions upstreamPolicies,
                 StoreOptions store, AdminOptions admin) {
        this(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts, forwardCredentials,
                upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, RuleSet.EMPTY);
    }

    /** The options with the default fairness settings. */
    RelayOptions(List<UpstreamTarget> upstreams, String bind, int port, int maxBodyBytes, Duration sessionTtl, int maxSessions,
                 List<String> allowedOrigins, List<String> allowedHosts, boolean forwardCredentials, Duration upstreamConnectTimeout,
                 Duration upstreamReadTimeout, StreamSettings streams, ReplayLogLimits replayLog, UpstreamOptions upstreamPolicies,
                 StoreOptions store, AdminOptions admin, RuleSet rules) {
        this(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts, forwardCredentials,
                upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules,
                FairnessOptions.defaults(), ClientOptions.defaults(), AuthOptions.off());
    }

    /** The options without client authentication. */
    RelayOptions(List<UpstreamTarget> upstreams, String bind, int port, int maxBodyBytes, Duration sessionTtl, int maxSessions,
                 List<String> allowedOrigins, List<String> allowedHosts, boolean forwardCredentials, Duration upstreamConnectTimeout,
                 Duration upstreamReadTimeout, StreamSettings streams, ReplayLogLimits replayLog, UpstreamOptions upstreamPolicies,
                 StoreOptions store, AdminOptions admin, RuleSet rules, FairnessOptions fairness, ClientOptions clients) {
        this(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts, forwardCredentials,
                upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules, fairness, clients,
                AuthOptions.off());
    }

    /** Options for tests and embedding: one upstream, an ephemeral port, every other default. */
    static RelayOptions forUpstream(UpstreamTarget upstream) {
        return new RelayOptions(List.of(upstream), DEFAULT_BIND, 0, 4 << 20, DEFAULT_SESSION_TTL, DEFAULT_MAX_SESSIONS,
                List.of(), List.of(), false, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, StreamSettings.defaults(),
                ReplayLogLimits.defaults(), UpstreamOptions.defaults(), StoreOptions.memory(), AdminOptions.off());
    }

    RelayOptions withUpstreamReadTimeout(Duration value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts, forwardCredentials,
                upstreamConnectTimeout, value, streams, replayLog, upstreamPolicies, store, admin, rules, fairness, clients, auth);
    }

    RelayOptions withMaxBodyBytes(int bytes) {
        return new RelayOptions(upstreams, bind, port, bytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts, forwardCredentials,
                upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules, fairness, clients, auth, upstreamAuth);
    }

    RelayOptions withAllowedOrigins(List<String> origins) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, origins, allowedHosts, forwardCredentials,
                upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules, fairness, clients, auth, upstreamAuth);
    }

    RelayOptions withUpstreams(List<UpstreamTarget> value, UpstreamOptions policies) {
        return new RelayOptions(value, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, policies, store, admin, rules, fairness, clients, auth, upstreamAuth);
    }

    RelayOptions withAdmin(AdminOptions value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, value, rules, fairness, clients, auth, upstreamAuth);
    }

    RelayOptions withStore(StoreOptions value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, value, admin, rules, fairness, clients, auth, upstreamAuth);
    }

    RelayOptions withSessionTtl(Duration value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, value, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules, fairness, clients, auth, upstreamAuth);
    }

    RelayOptions withStreams(StreamSettings value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, value, replayLog, upstreamPolicies, store, admin, rules, fairness, clients, auth, upstreamAuth);
    }

    RelayOptions withClients(ClientOptions value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules,
                fairness, value, auth, upstreamAuth);
    }

    /** These interception rules instead of the current ones (by default none). */
    RelayOptions withRules(RuleSet value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, value, fairness, clients, auth, upstreamAuth);
    }

    RelayOptions withReplayLog(ReplayLogLimits value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, value, upstreamPolicies, store, admin, rules, fairness, clients, auth, upstreamAuth);
    }

    RelayOptions withFairness(FairnessOptions value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules, value, clients, auth, upstreamAuth);
    }

    /** This authentication instead of the current one (by default none). */
    RelayOptions withAuth(AuthOptions value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules,
                fairness, clients, value, upstreamAuth);
    }

    /** These credentials for upstreams instead of the current ones (by default none). */
    RelayOptions withUpstreamAuth(Map<String, UpstreamAuth> value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, maxSessions, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules,
                fairness, clients, auth, value);
    }

    RelayOptions withMaxSessions(int value) {
        return new RelayOptions(upstreams, bind, port, maxBodyBytes, sessionTtl, value, allowedOrigins, allowedHosts,
                forwardCredentials, upstreamConnectTimeout, upstreamReadTimeout, streams, replayLog, upstreamPolicies, store, admin, rules,
                fairness, clients, auth, upstreamAuth);
    }
}
