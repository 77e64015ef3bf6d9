package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.in.ClientLimits;
import io.mcprelay.application.service.StreamSettings;
import io.mcprelay.domain.intercept.RuleSet;
import io.mcprelay.domain.limit.OutagePolicy;
import io.mcprelay.domain.limit.RateLimits;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ClientQuota;
import io.mcprelay.domain.session.SessionShare;
import io.mcprelay.domain.stream.ReplayLogLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options every source can set, keyed by their flag: what each value must look like, how the
 * layers (file, environment, command line) combine, and how the result becomes {@link RelayOptions}.
 * The file, the environment and the command line each produce a map from flag to {@link Setting}s;
 * everything after that is shared, so a value means the same wherever it was written.
 */
final class Settings {

    /** Options that take no value on the command line; elsewhere their value is true or false. */
    static final Set<String> SWITCHES = Set.of("--forward-credentials", "--access-log", "--tracing", "--bridge-legacy");
    /** Options that may be given several times; from the environment as a comma-separated list. */
    static final Set<String> REPEATABLE = union(Set.of("--upstream", "--allowed-origin", "--allowed-host", "--weight", "--upstream-era",
            "--limit-tool", "--trusted-proxy"),
            AuthSettings.REPEATABLE);
    /** Every option that takes a value. */
    static final Set<String> VALUED = union(union(AuthSettings.VALUED, StoreSettings.VALUED), Set.of("--upstream", "--port", "--bind", "--max-body-bytes", "--session-ttl", "--max-sessions",
            "--allowed-origin", "--allowed-host", "--upstream-connect-timeout", "--upstream-read-timeout", "--heartbeat-interval",
            "--disconnect-grace", "--replay-max-events", "--replay-max-bytes", "--replay-ttl", "--replay-max-streams", "--weight", "--upstream-era",
            "--balance", "--health-interval", "--health-timeout", "--breaker-failures", "--breaker-open", "--upstream-max-concurrent",
            "--upstream-queue-timeout", "--upstream-client", "--upstream-head-timeout", "--upstream-max-json-bytes", "--stream-lease",
            "--log-format",
            "--admin-port", "--admin-bind", "--admin-token", "--admin-login-ttl", "--upstream-max-streams", "--session-max-requests",
            "--session-max-streams", "--max-sessions-per-client",
            "--header-timeout", "--body-timeout", "--idle-timeout", "--max-connections", "--max-body-memory",
            "--limit-per-principal", "--limit-tool", "--limit-global", "--limit-store-outage", "--limit-redis-url",
            "--drain-timeout", "--access-log-sample", "--stdio-max-processes", "--stdio-start-timeout",
            "--tracing-endpoint", "--tracing-service-name", "--tracing-sample", "--trusted-proxy"));

    static final int DEFAULT_MAX_BODY_BYTES = 4 << 20;
    static final String DEFAULT_KEY_PREFIX = "mcp-relay";

    private Settings() {
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** {@code true} for every option a setting may name. */
    static boolean isOption(String flag) {
        return VALUED.contains(flag) || SWITCHES.contains(flag);
    }

    /**
     * Combines layers, lowest precedence first: a single-valued option takes its value from the highest
     * layer that sets it; a repeatable one takes the whole list of that layer (a list on the command
     * line replaces the environment's, which replaces the file's). Weights belong to the upstream list
     * they name, so weights from a layer below the one that gave the upstreams are dropped.
     */
    @SafeVarargs
    static Map<String, List<Setting>> layered(Map<String, List<Setting>>... lowestFirst) {
        Map<String, List<Setting>> merged = new LinkedHashMap<>();
        Map<String, Integer> layerOf = new LinkedHashMap<>();
        for (int layer = 0; layer < lowestFirst.length; layer++) {
            for (Map.Entry<String, List<Setting>> option : lowestFirst[layer].entrySet()) {
                if (option.getValue().isEmpty()) {
                    continue;
                }
                merged.put(option.getKey(), List.copyOf(option.getValue()));
                layerOf.put(option.getKey(), layer);
            }
        }
        for (String perUpstream : List.of("--weight", "--upstream-era")) {
            if (merged.containsKey(perUpstream) && layerOf.get(perUpstream) < layerOf.getOrDefault("--upstream", -1)) {
                merged.remove(perUpstream);
            }
        }
        return merged;
    }

    /** The layer of the upstream list in {@link #layered}: {@code true} if {@code higher} replaces it. */
    static boolean replacesUpstreams(Map<String, List<Setting>> higher) {
        return !higher.getOrDefault("--upstream", List.of()).isEmpty();
    }

    /** Converts every value of {@code layer}, adding a problem for each that is not valid. */
    static void check(Map<String, List<Setting>> layer, List<String> problems) {
        for (Map.Entry<String, List<Setting>> option : layer.entrySet()) {
            for (Setting setting : option.getValue()) {
                try {
                    convert(option.getKey(), setting);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
        }
    }

    /**
     * The value of {@code setting} for option {@code flag}, as the type the option has; a bad value
     * throws {@link IllegalArgumentException} with a message that starts with the setting's origin.
     */
    static Object convert(String flag, Setting setting) {
        String label = setting.origin();
        String value = setting.value();
        return switch (flag) {
            case "--upstream" -> UpstreamSettings.upstream(label, value, "upstream-1");
            case "--port", "--admin-port" -> integer(label, value, 0, 65_535);
            case "--bind", "--admin-bind", "--allowed-origin", "--allowed-host" -> nonBlank(label, value);
            case "--max-body-bytes", "--max-sessions", "--replay-max-bytes", "--upstream-max-json-bytes" ->
                    integer(label, value, 1, Integer.MAX_VALUE - 1);
            case "--max-connections" -> integer(label, value, 1, 10_000_000);
            case "--max-body-memory" -> (long) integer(label, value, 1024, Integer.MAX_VALUE - 1);
            case "--header-timeout", "--body-timeout", "--idle-timeout" -> duration(label, value);
            case "--replay-max-events", "--replay-max-streams" -> integer(label, value, 1, 10_000_000);
            case "--breaker-failures" -> integer(label, value, 1, 1000);
            case "--upstream-max-concurrent", "--upstream-max-streams", "--session-max-requests", "--session-max-streams" ->
                    integer(label, value, 1, 100_000);
            case "--max-sessions-per-client" -> integer(label, value, 1, Integer.MAX_VALUE - 1);
            case "--stdio-max-processes" -> integer(label, value, 1, 100_000);
            case "--stdio-start-timeout" -> atLeast(label, duration(label, value), Duration.ofMillis(100));
            case "--session-ttl", "--upstream-connect-timeout", "--upstream-read-timeout", "--heartbeat-interval", "--disconnect-grace",
                 "--replay-ttl", "--health-interval", "--health-timeout", "--breaker-open", "--upstream-queue-timeout",
                 "--upstream-head-timeout", "--admin-login-ttl", "--drain-timeout" ->
                    duration(label, value);
            case "--access-log-sample" -> integer(label, value, 1, 100);
            case "--stream-lease" -> atLeast(label, duration(label, value), Duration.ofMillis(300));
            case "--weight" -> UpstreamSettings.weight(label, value);
            case "--upstream-era" -> UpstreamSettings.era(label, value);
            case "--balance" -> UpstreamSettings.strategy(label, value);
            case "--upstream-client" -> switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "socket" -> UpstreamOptions.Client.SOCKET;
                case "helidon" -> UpstreamOptions.Client.HELIDON;
                default -> throw new IllegalArgumentException(label + ": socket or helidon, not " + quoted(value));
            };
            case "--limit-redis-url" -> redisUri(label, value);
            case "--log-format" -> switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "text", "json" -> value.trim().toLowerCase(Locale.ROOT);
                default -> throw new IllegalArgumentException(label + ": text or json, not " + quoted(value));
            };
            case "--admin-token" -> {
                String token = nonBlank(label, value);
                if (token.length() < 16) {
                    throw new IllegalArgumentException(label + ": must have at least 16 characters");
                }
                yield token;
            }
            case "--forward-credentials", "--access-log", "--tracing", "--bridge-legacy" -> bool(label, value);
            case "--tracing-endpoint" -> TracingSettings.endpoint(label, value);
            case "--tracing-service-name" -> nonBlank(label, value).strip();
            case "--tracing-sample" -> TracingSettings.ratio(label, value);
            case "--trusted-proxy" -> trustedProxy(label, value);
            case "--limit-per-principal", "--limit-global" -> LimitSettings.rate(label, value);
            case "--limit-tool" -> LimitSettings.tool(label, value);
            case "--limit-store-outage" -> LimitSettings.outage(label, value);
            default -> StoreSettings.VALUED.contains(flag) ? StoreSettings.convert(flag, setting) : AuthSettings.convert(flag, setting);
        };
    }

    /**
     * The options the merged settings describe, with {@code disabled} upstreams taking no new sessions
     * and {@code rules} as the interception rules. Cross-option problems (weights for an upstream that
     * does not exist, a probe timeout longer than its interval, no upstream at all) are added to
     * {@code problems}; the result is empty when there is any, or when {@code problems} already held
     * some. A value that is not valid counts as unset here: {@link #check} reports it.
     */
    static Optional<RelayOptions> options(Map<String, List<Setting>> merged, Set<String> disabled, RuleSet rules, List<String> problems) {
        boolean valid = problems.isEmpty();    // else "no upstream" may only echo a reported problem
        int before = problems.size();
        Values v = new Values(merged);
        List<UpstreamTarget> upstreams = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Setting> upstreamSpecs = merged.getOrDefault("--upstream", List.of());
        for (Setting spec : upstreamSpecs) {
            UpstreamTarget target;
            try {
                target = UpstreamSettings.upstream(spec.origin(), spec.value(), "upstream-" + (upstreams.size() + 1));
            } catch (IllegalArgumentException reported) {
                continue;
            }
            if (!names.add(target.name())) {
                problems.add(spec.origin() + ": the upstream name " + quoted(target.name()) + " is used twice");
            }
            upstreams.add(target);
        }
        if (upstreamSpecs.isEmpty() && valid) {
            problems.add("no upstream: give at least one (upstreams in the file, --upstream or MCP_RELAY_UPSTREAM)");
        }
        boolean everyUpstreamRead = !upstreamSpecs.isEmpty() && upstreams.size() == upstreamSpecs.size();
        Map<String, Integer> weights = UpstreamSettings.perUpstream(merged.getOrDefault("--weight", List.of()), UpstreamSettings::weight,
                everyUpstreamRead, names, problems);
        Map<String, UpstreamEra> eras = UpstreamSettings.perUpstream(merged.getOrDefault("--upstream-era", List.of()), UpstreamSettings::era,
                everyUpstreamRead, names, problems);
        Duration healthInterval = v.get("--health-interval", HealthCheckPolicy.DEFAULT_INTERVAL);
        Duration healthTimeout = v.get("--health-timeout", HealthCheckPolicy.DEFAULT_TIMEOUT);
        if (healthTimeout.compareTo(healthInterval) > 0) {
            problems.add(v.origin("--health-timeout", "--health-timeout") + ": must not exceed the health interval ("
                    + Durations.format(healthInterval) + ")");
        }
        Optional<StoreOptions> store = StoreSettings.options(v, problems);
        AuthOptions auth = AuthSettings.options(merged, problems);
        if (!valid || problems.size() > before) {
            return Optional.empty();
        }
        StreamSettings streamDefaults = StreamSettings.defaults();
        ReplayLogLimits replayDefaults = ReplayLogLimits.defaults();
        UpstreamOptions upstreamDefaults = UpstreamOptions.defaults();
        HealthCheckPolicy health = new HealthCheckPolicy(healthInterval, healthTimeout, HealthCheckPolicy.DEFAULT_UNHEALTHY_AFTER,
                HealthCheckPolicy.DEFAULT_HEALTHY_AFTER);
        BreakerPolicy breaker = new BreakerPolicy(v.get("--breaker-failures", BreakerPolicy.DEFAULT_FAILURE_THRESHOLD),
                v.get("--breaker-open", BreakerPolicy.DEFAULT_OPEN_DURATION), BreakerPolicy.DEFAULT_HALF_OPEN_TRIALS,
                BreakerPolicy.DEFAULT_MAX_HALF_OPEN_CONCURRENT);
        Set<String> disabledHere = new HashSet<>(disabled);
        disabledHere.retainAll(names);
        UpstreamOptions policies = new UpstreamOptions(v.get("--balance", upstreamDefaults.strategy()), weights, health, breaker,
                v.get("--upstream-max-concurrent", upstreamDefaults.maxConcurrent()),
                v.get("--upstream-queue-timeout", upstreamDefaults.queueTimeout()), disabledHere,
                v.get("--upstream-client", upstreamDefaults.client()), v.get("--upstream-head-timeout", upstreamDefaults.headTimeout()),
                v.get("--upstream-max-json-bytes", upstreamDefaults.maxJsonBytes()),
                v.get("--stdio-max-processes", upstreamDefaults.stdioMaxProcesses()),
                v.get("--stdio-start-timeout", upstreamDefaults.stdioStartTimeout())).withEras(eras)
                .withBridgeLegacy(v.get("--bridge-legacy", false));
        StreamSettings streams = new StreamSettings(v.get("--heartbeat-interval", streamDefaults.heartbeatInterval()),
                v.get("--disconnect-grace", streamDefaults.disconnectGrace()), streamDefaults.replayBatch(),
                v.get("--stream-lease", streamDefaults.ownerLease()));
        ReplayLogLimits replay = new ReplayLogLimits(v.get("--replay-max-events", replayDefaults.maxEvents()),
                v.<Integer>get("--replay-max-bytes", (int) replayDefaults.maxBytes()), v.get("--replay-ttl", replayDefaults.ttl()),
                v.get("--replay-max-streams", replayDefaults.maxStreams()));
        AdminOptions admin = new AdminOptions(Optional.ofNullable(v.get("--admin-port", null)), v.get("--admin-bind", "127.0.0.1"),
                Optional.ofNullable(v.get("--admin-token", null)), v.get("--admin-login-ttl", AdminOptions.DEFAULT_LOGIN_TTL));
        FairnessOptions fairness = new FairnessOptions(v.get("--upstream-max-streams", FairnessOptions.DEFAULT_MAX_STREAMS_PER_UPSTREAM),
                new SessionShare(v.get("--session-max-requests", SessionShare.DEFAULT_MAX_REQUESTS),
                        v.get("--session-max-streams", SessionShare.DEFAULT_MAX_STREAMS)),
                new ClientQuota(v.get("--max-sessions-per-client", ClientQuota.DEFAULT_MAX_SESSIONS_PER_CLIENT)),
                new LimitOptions(new RateLimits(Optional.ofNullable(v.get("--limit-per-principal", null)),
                        LimitSettings.tools(merged.getOrDefault("--limit-tool", List.of())), Optional.ofNullable(v.get("--limit-global", null)),
                        v.get("--limit-store-outage", OutagePolicy.OPEN)), Optional.ofNullable(v.get("--limit-redis-url", null))));
        ClientOptions clientDefaults = ClientOptions.defaults();
        ClientLimits limitDefaults = clientDefaults.limits();
        ClientOptions clients = new ClientOptions(new ClientLimits(v.get("--header-timeout", limitDefaults.headerTimeout()),
                v.get("--body-timeout", limitDefaults.bodyTimeout()), v.get("--idle-timeout", limitDefaults.idleTimeout()),
                v.get("--max-connections", limitDefaults.maxConnections())), v.get("--max-body-memory", clientDefaults.maxBodyMemory()));
        return Optional.of(new RelayOptions(upstreams, v.get("--bind", RelayOptions.DEFAULT_BIND), v.get("--port", RelayOptions.DEFAULT_PORT),
                v.get("--max-body-bytes", DEFAULT_MAX_BODY_BYTES), v.get("--session-ttl", RelayOptions.DEFAULT_SESSION_TTL),
                v.get("--max-sessions", RelayOptions.DEFAULT_MAX_SESSIONS), v.all("--allowed-origin"), v.all("--allowed-host"),
                v.get("--forward-credentials", false), v.get("--upstream-connect-timeout", RelayOptions.DEFAULT_CONNECT_TIMEOUT),
                v.get("--upstream-read-timeout", RelayOptions.DEFAULT_READ_TIMEOUT), streams, replay, policies, store.orElseThrow(), admin, rules,
                fairness, clients, auth));
    }

    /** How the process stops and what it logs of requests, from the merged settings (every value already checked). */
    static OperationsOptions operations(Map<String, List<Setting>> merged) {
        Values v = new Values(merged);
        OperationsOptions defaults = OperationsOptions.defaults();
        TracingOptions tracing = TracingOptions.defaults();
        tracing = new TracingOptions(v.get("--tracing", tracing.enabled()), v.get("--tracing-endpoint", tracing.endpoint()),
                v.get("--tracing-service-name", tracing.serviceName()), v.get("--tracing-sample", tracing.sampleRatio()), Map.of());
        return new OperationsOptions(v.get("--drain-timeout", defaults.drainTimeout()), v.get("--access-log", defaults.accessLog()),
                v.get("--access-log-sample", defaults.accessLogSample()), tracing, v.all("--trusted-proxy"));
    }


    private static String trustedProxy(String label, String value) {
        try {
            return io.mcprelay.adapter.http.in.TrustedProxies.parse(List.of(value)).blocks().getFirst();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + ": " + e.getMessage());
        }
    }

    /** The log format the merged settings ask for: {@code text} (the default) or {@code json}. */
    static String logFormat(Map<String, List<Setting>> merged) {
        return new Values(merged).get("--log-format", "text");
    }


    /** Reads the last value of each option, converted, or a default. */
    record Values(Map<String, List<Setting>> merged) {

        /** The last value of {@code flag}, or {@code otherwise} when it is unset or not valid (reported by {@link #check}). */
        @SuppressWarnings("unchecked")
        <T> T get(String flag, T otherwise) {
            List<Setting> settings = merged.getOrDefault(flag, List.of());
            try {
                return settings.isEmpty() ? otherwise : (T) convert(flag, settings.getLast());
            } catch (IllegalArgumentException reported) {
                return otherwise;
            }
        }

        List<String> all(String flag) {
            return merged.getOrDefault(flag, List.of()).stream().map(s -> (String) convert(flag, s)).toList();
        }

        /** Whether {@code flag} has a valid value in some layer. */
        boolean isSet(String flag) {
            return get(flag, null) != null;
        }

        String origin(String flag, String otherwise) {
            List<Setting> settings = merged.getOrDefault(flag, List.of());
            return settings.isEmpty() ? otherwise : settings.getLast().origin();
        }
    }


    static URI redisUri(String label, String value) {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel").contains(scheme)) {
                throw new IllegalArgumentException(label + ": must start with redis://, rediss:// or redis-sentinel://, not "
                        + quoted(Secrets.maskUri(value.trim())));
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(label + ": not a URL (" + e.getReason() + ")");
        }
    }

    static int integer(String label, String value, int min, int max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException(label + ": must be between " + min + " and " + max + ", not " + value.trim());
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(label + ": not a whole number: " + quoted(value));
        }
    }

    static boolean bool(String label, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(label + ": true or false, not " + quoted(value));
        };
    }

    static String nonBlank(String label, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(label + ": must not be empty");
        }
        return value.trim();
    }

    /** Parses 500ms, 30s, 5m, 1h, 2d, or ISO-8601; must be positive. */
    static Duration duration(String label, String value) {
        try {
            Duration d = Durations.parse(value);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(label + ": must be positive, not " + value.trim());
            }
            return d;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(label + ": not a duration (500ms, 30s, 5m, 1h, 2d or ISO-8601): " + quoted(value));
        }
    }

    private static Duration atLeast(String label, Duration value, Duration least) {
        if (value.compareTo(least) < 0) {
            throw new IllegalArgumentException(label + ": must be at least " + Durations.format(least) + ", not " + Durations.format(value));
        }
        return value;
    }

    static String quoted(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
