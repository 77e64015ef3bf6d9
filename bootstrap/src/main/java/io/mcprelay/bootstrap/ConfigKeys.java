package io.mcprelay.bootstrap;

import io.mcprelay.domain.limit.RateLimit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The scalar keys of the configuration file, each tied to the option (flag) it sets and to where the
 * effective value is read back for {@code --print-config}. One table, so that the file, the flags, the
 * environment and the printed configuration cannot drift apart. The two structured keys,
 * {@code upstreams} and {@code interceptors.rules}, are read by {@link ConfigFile} itself.
 */
final class ConfigKeys {

    /** The YAML type a key's value must have. */
    enum Kind {
        /** {@code 30s}, {@code 500ms}, {@code 5m}, {@code 1h}, {@code 2d}, ISO-8601. */
        DURATION,
        /** A whole number. */
        INTEGER,
        /** A number, e.g. {@code 0.25}. */
        NUMBER,
        /** Text. */
        TEXT,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A list of text. */
        TEXT_LIST
    }

    /**
     * One key.
     *
     * @param path       its dotted path, e.g. {@code listen.port}
     * @param flag       the option it sets, e.g. {@code --port}
     * @param kind       the YAML type of its value
     * @param nullable   {@code null} (or no key) means "not set", e.g. {@code admin.port: null} is no admin listener
     * @param reloadable a reload applies a change of it to the running relay
     * @param secret     printed masked
     * @param effective  the effective value, as it is written in the file (null when unset)
     */
    record Key(String path, String flag, Kind kind, boolean nullable, boolean reloadable, boolean secret,
               Function<Configuration, Object> effective) {
    }

    /** The key for the upstream list: {@code --upstream} and {@code --weight}. Reloadable. */
    static final String UPSTREAMS = "upstreams";
    /** The section of interception rules; only the file sets them. Reloadable. */
    static final String INTERCEPTORS = "interceptors";

    static final List<Key> ALL = List.of(
            key("listen.bind", "--bind", Kind.TEXT, c -> c.options().bind()),
            key("listen.port", "--port", Kind.INTEGER, c -> c.options().port()),
            key("listen.maxBodyBytes", "--max-body-bytes", Kind.INTEGER, c -> c.options().maxBodyBytes()),
            key("listen.maxBodyMemory", "--max-body-memory", Kind.INTEGER, c -> c.options().clients().maxBodyMemory()),
            key("listen.maxConnections", "--max-connections", Kind.INTEGER, c -> c.options().clients().limits().maxConnections()),
            key("listen.headerTimeout", "--header-timeout", Kind.DURATION, c -> c.options().clients().limits().headerTimeout()),
            key("listen.bodyTimeout", "--body-timeout", Kind.DURATION, c -> c.options().clients().limits().bodyTimeout()),
            key("listen.idleTimeout", "--idle-timeout", Kind.DURATION, c -> c.options().clients().limits().idleTimeout()),
            key("listen.allowedOrigins", "--allowed-origin", Kind.TEXT_LIST, c -> c.options().allowedOrigins()),
            key("listen.allowedHosts", "--allowed-host", Kind.TEXT_LIST, c -> c.options().allowedHosts()),
            key("listen.trustedProxies", "--trusted-proxy", Kind.TEXT_LIST, c -> c.operations().trustedProxies()),
            key("sessions.ttl", "--session-ttl", Kind.DURATION, c -> c.options().sessionTtl()),
            key("sessions.max", "--max-sessions", Kind.INTEGER, c -> c.options().maxSessions()),
            key("sessions.maxPerClient", "--max-sessions-per-client", Kind.INTEGER,
                    c -> c.options().fairness().quota().maxSessionsPerClient()),
            key("sessions.maxRequestsInFlight", "--session-max-requests", Kind.INTEGER, c -> c.options().fairness().share().maxRequests()),
            key("sessions.maxStreams", "--session-max-streams", Kind.INTEGER, c -> c.options().fairness().share().maxStreams()),
            new Key("limits.perPrincipal", "--limit-per-principal", Kind.TEXT, true, true, false,
                    c -> c.options().fairness().limits().rates().perPrincipal().map(RateLimit::describe).orElse(null)),
            new Key("limits.perTool", "--limit-tool", Kind.TEXT_LIST, false, true, false,
                    c -> LimitSettings.describeTools(c.options().fairness().limits().rates())),
            new Key("limits.global", "--limit-global", Kind.TEXT, true, true, false,
                    c -> c.options().fairness().limits().rates().global().map(RateLimit::describe).orElse(null)),
            new Key("limits.onStoreOutage", "--limit-store-outage", Kind.TEXT, false, true, false,
                    c -> c.options().fairness().limits().rates().onOutage().name().toLowerCase(java.util.Locale.ROOT)),
            new Key("limits.redisUrl", "--limit-redis-url", Kind.TEXT, true, false, true,
                    c -> c.options().fairness().limits().redisUrl().map(Object::toString).orElse(null)),
            new Key("upstreamPolicy.balance", "--balance", Kind.TEXT, false, true, false,
                    c -> UpstreamSettings.strategyName(c.options().upstreamPolicies().strategy())),
            key("upstreamPolicy.forwardCredentials", "--forward-credentials", Kind.BOOLEAN, c -> c.options().forwardCredentials()),
            key("upstreamPolicy.connectTimeout", "--upstream-connect-timeout", Kind.DURATION, c -> c.options().upstreamConnectTimeout()),
            key("upstreamPolicy.readTimeout", "--upstream-read-timeout", Kind.DURATION, c -> c.options().upstreamReadTimeout()),
            key("upstreamPolicy.maxConcurrent", "--upstream-max-concurrent", Kind.INTEGER,
                    c -> c.options().upstreamPolicies().maxConcurrent()),
            key("upstreamPolicy.maxStreams", "--upstream-max-streams", Kind.INTEGER, c -> c.options().fairness().maxStreamsPerUpstream()),
            key("upstreamPolicy.queueTimeout", "--upstream-queue-timeout", Kind.DURATION, c -> c.options().upstreamPolicies().queueTimeout()),
            key("upstreamPolicy.bridgeLegacy", "--bridge-legacy", Kind.BOOLEAN, c -> c.options().upstreamPolicies().bridgeLegacy()),
            key("upstreamPolicy.client", "--upstream-client", Kind.TEXT,
                    c -> c.options().upstreamPolicies().client().name().toLowerCase(java.util.Locale.ROOT)),
            key("upstreamPolicy.headTimeout", "--upstream-head-timeout", Kind.DURATION, c -> c.options().upstreamPolicies().headTimeout()),
            key("upstreamPolicy.maxJsonBytes", "--upstream-max-json-bytes", Kind.INTEGER,
                    c -> c.options().upstreamPolicies().maxJsonBytes()),
            key("upstreamPolicy.stdioMaxProcesses", "--stdio-max-processes", Kind.INTEGER,
                    c -> c.options().upstreamPolicies().stdioMaxProcesses()),
            key("upstreamPolicy.stdioStartTimeout", "--stdio-start-timeout", Kind.DURATION,
                    c -> c.options().upstreamPolicies().stdioStartTimeout()),
            key("upstreamPolicy.health.interval", "--health-interval", Kind.DURATION,
                    c -> c.options().upstreamPolicies().health().interval()),
            key("upstreamPolicy.health.timeout", "--health-timeout", Kind.DURATION, c -> c.options().upstreamPolicies().health().timeout()),
            key("upstreamPolicy.breaker.failures", "--breaker-failures", Kind.INTEGER,
                    c -> c.options().upstreamPolicies().breaker().failureThreshold()),
            key("upstreamPolicy.breaker.openFor", "--breaker-open", Kind.DURATION,
                    c -> c.options().upstreamPolicies().breaker().openDuration()),
            key("streams.heartbeatInterval", "--heartbeat-interval", Kind.DURATION, c -> c.options().streams().heartbeatInterval()),
            key("streams.disconnectGrace", "--disconnect-grace", Kind.DURATION, c -> c.options().streams().disconnectGrace()),
            key("streams.lease", "--stream-lease", Kind.DURATION, c -> c.options().streams().ownerLease()),
            key("replay.maxEvents", "--replay-max-events", Kind.INTEGER, c -> c.options().replayLog().maxEvents()),
            key("replay.maxBytes", "--replay-max-bytes", Kind.INTEGER, c -> c.options().replayLog().maxBytes()),
            key("replay.ttl", "--replay-ttl", Kind.DURATION, c -> c.options().replayLog().ttl()),
            key("replay.maxStreams", "--replay-max-streams", Kind.INTEGER, c -> c.options().replayLog().maxStreams()),
            key("store.kind", "--store", Kind.TEXT, c -> c.options().store().kind().name().toLowerCase(java.util.Locale.ROOT)),
            new Key("store.sessions", "--session-store", Kind.TEXT, true, false, false,
                    c -> c.options().store().sessions().name().toLowerCase(java.util.Locale.ROOT)),
            new Key("store.log", "--replay-log-store", Kind.TEXT, true, false, false,
                    c -> c.options().store().log().name().toLowerCase(java.util.Locale.ROOT)),
            new Key("store.redisUrl", "--redis-url", Kind.TEXT, true, false, true,
                    c -> c.options().store().redisUrl().map(Object::toString).orElse(null)),
            key("store.keyPrefix", "--redis-key-prefix", Kind.TEXT, c -> c.options().store().keyPrefix()),
            key("store.nearCache", "--redis-near-cache", Kind.BOOLEAN, c -> c.options().store().nearCache()),
            new Key("admin.port", "--admin-port", Kind.INTEGER, true, false, false, c -> c.options().admin().port().orElse(null)),
            key("admin.bind", "--admin-bind", Kind.TEXT, c -> c.options().admin().bind()),
            new Key("admin.token", "--admin-token", Kind.TEXT, true, false, true, c -> c.options().admin().token().orElse(null)),
            key("admin.loginTtl", "--admin-login-ttl", Kind.DURATION, c -> c.options().admin().loginTtl()),
            key("log.format", "--log-format", Kind.TEXT, Configuration::logFormat),
            key("accessLog.enabled", "--access-log", Kind.BOOLEAN, c -> c.operations().accessLog()),
            key("accessLog.sample", "--access-log-sample", Kind.INTEGER, c -> c.operations().accessLogSample()),
            key("shutdown.drainTimeout", "--drain-timeout", Kind.DURATION, c -> c.operations().drainTimeout()),
            key("tracing.enabled", "--tracing", Kind.BOOLEAN, c -> c.operations().tracing().enabled()),
            key("tracing.endpoint", "--tracing-endpoint", Kind.TEXT, c -> c.operations().tracing().endpoint().toString()),
            key("tracing.serviceName", "--tracing-service-name", Kind.TEXT, c -> c.operations().tracing().serviceName()),
            key("tracing.sampleRatio", "--tracing-sample", Kind.NUMBER, c -> c.operations().tracing().sampleRatio()),
            new Key("auth.issuer", "--auth-issuer", Kind.TEXT, true, false, false,
                    c -> c.options().auth().issuer().map(Object::toString).orElse(null)),
            new Key("auth.jwksUri", "--auth-jwks-uri", Kind.TEXT, true, false, false,
                    c -> c.options().auth().jwksUri().map(Object::toString).orElse(null)),
            new Key("auth.resource", "--auth-resource", Kind.TEXT, true, false, false,
                    c -> c.options().auth().resource().map(Object::toString).orElse(null)),
            key("auth.audiences", "--auth-audience", Kind.TEXT_LIST, c -> c.options().auth().audiences()),
            key("auth.requiredScopes", "--auth-required-scope", Kind.TEXT_LIST, c -> c.options().auth().requiredScopes()),
            key("auth.clockSkew", "--auth-clock-skew", Kind.DURATION, c -> c.options().auth().clockSkew()),
            key("auth.jwksTimeout", "--auth-jwks-timeout", Kind.DURATION, c -> c.options().auth().jwksTimeout()),
            key("auth.jwksCacheTtl", "--auth-jwks-cache-ttl", Kind.DURATION, c -> c.options().auth().jwksCacheTtl()),
            key("auth.jwksMinRefresh", "--auth-jwks-min-refresh", Kind.DURATION, c -> c.options().auth().jwksMinRefresh()),
            new Key("auth.introspection.uri", "--auth-introspection-uri", Kind.TEXT, true, false, false,
                    c -> c.options().auth().introspection().map(i -> i.uri().toString()).orElse(null)),
            new Key("auth.introspection.clientId", "--auth-introspection-client-id", Kind.TEXT, true, false, false,
                    c -> c.options().auth().introspection().map(AuthOptions.Introspection::clientId).orElse(null)),
            new Key("auth.introspection.clientSecret", "--auth-introspection-client-secret", Kind.TEXT, true, false, true,
                    c -> c.options().auth().introspection().map(AuthOptions.Introspection::clientSecret).orElse(null)),
            key("auth.introspection.timeout", "--auth-introspection-timeout", Kind.DURATION,
                    c -> c.options().auth().introspection().map(AuthOptions.Introspection::timeout).orElse(AuthOptions.Introspection.DEFAULT_TIMEOUT)),
            key("auth.introspection.cacheTtl", "--auth-introspection-cache-ttl", Kind.DURATION,
                    c -> c.options().auth().introspection().map(AuthOptions.Introspection::cacheTtl).orElse(AuthOptions.Introspection.DEFAULT_CACHE_TTL)),
            key("auth.introspection.tokens", "--auth-introspection-tokens", Kind.TEXT,
                    c -> c.options().auth().introspection().map(i -> i.all() ? "all" : "opaque").orElse("opaque")));

    private ConfigKeys() {
    }

    private static Key key(String path, String flag, Kind kind, Function<Configuration, Object> effective) {
        return new Key(path, flag, kind, false, false, false, effective);
    }

    /** The key at {@code path}, if it is a scalar key. */
    static Optional<Key> at(String path) {
        return ALL.stream().filter(k -> k.path().equals(path)).findFirst();
    }

    /**
     * The keys a mapping at {@code prefix} may hold ({@code ""} for the top level), in the order of
     * the table: scalar keys and sections.
     */
    static List<String> childrenOf(String prefix) {
        Set<String> children = new LinkedHashSet<>();
        String start = prefix.isEmpty() ? "" : prefix + ".";
        for (Key key : ALL) {
            if (key.path().startsWith(start)) {
                String rest = key.path().substring(start.length());
                int dot = rest.indexOf('.');
                children.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        if (prefix.isEmpty()) {
            List<String> top = new ArrayList<>(children);
            top.add(1, UPSTREAMS);
            top.add(INTERCEPTORS);
            return top;
        }
        return List.copyOf(children);
    }

    /** Every key path, flattened, including the structured ones; for documentation checks. */
    static List<String> allPaths() {
        List<String> paths = new ArrayList<>(ALL.stream().map(Key::path).toList());
        paths.addAll(List.of("upstreams[].name", "upstreams[].url", "upstreams[].weight", "upstreams[].enabled", "upstreams[].era",
                "upstreams[].command", "upstreams[].args", "upstreams[].env", "upstreams[].cwd", "upstreams[].auth",
                "interceptors.rules"));
        return paths;
    }
}
