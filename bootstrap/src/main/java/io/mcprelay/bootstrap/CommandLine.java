package io.mcprelay.bootstrap;

import io.mcprelay.application.service.StreamSettings;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.stream.ReplayLogLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses the command line into {@link RelayOptions}; a bad flag or value fails with a message naming it. */
final class CommandLine {

    static final String USAGE = """
            Usage: java -jar bootstrap/target/mcp-relay.jar --upstream URL [options]

            mcp-relay: a reverse proxy for MCP servers (Streamable HTTP). Clients talk to
            http://BIND:PORT/mcp; health is at /health.

            Options:
              --upstream [NAME=]URL        upstream MCP endpoint, e.g. http://127.0.0.1:3001/mcp
                                           (required; repeat for several; names default to upstream-1, -2, ...)
              --port N                     port to listen on (default 8080; 0 picks a free one)
              --bind ADDRESS               address to listen on (default 127.0.0.1)
              --max-body-bytes N           largest POST body accepted, else 413 (default 4194304)
              --session-ttl DURATION       idle time after which a session expires (default 30m)
              --max-sessions N             most sessions held at once, else 503 (default 100000)
              --allowed-origin ORIGIN      allow this browser Origin besides loopback ones (repeatable; * allows all)
              --allowed-host HOST          allow this Host header when bound to loopback (repeatable)
              --forward-credentials        forward the client's Authorization and Cookie headers upstream
                                           (default: never forwarded)
              --upstream-connect-timeout D connect timeout towards upstreams (default 5s)
              --upstream-read-timeout D    longest wait for an upstream's next bytes (default 5m)
              --heartbeat-interval D       SSE comment on idle client streams this often (default 15s)
              --disconnect-grace D         keep reading an upstream stream into the replay log this
                                           long after its client went away (default 60s)
              --replay-max-events N        events kept per stream for Last-Event-ID replay (default 1000)
              --replay-max-bytes N         bytes kept per stream for replay (default 4194304)
              --replay-ttl D               a replay log lives this long after its last event (default 10m)
              --replay-max-streams N       replay logs kept at once (default 10000)
              --weight NAME=N              weight of an upstream for new sessions, 1..1000 (default 1)
              --balance STRATEGY           weighted (default; round-robin while weights are equal),
                                           round-robin, least-in-flight, random
              --health-interval D          active health check of every upstream this often (default 10s)
              --health-timeout D           a health probe's time limit (default 2s)
              --breaker-failures N         consecutive failures (connect, timeout, 5xx) that open an
                                           upstream's circuit (default 5)
              --breaker-open D             how long an open circuit refuses before a trial (default 30s)
              --upstream-max-concurrent N  requests and streams open to one upstream at once (default 64)
              --upstream-queue-timeout D   wait for one of them before answering 503 (default 5s)
              --store memory|redis         where sessions and replay logs live (default memory; redis
                                           lets several instances serve every session)
              --redis-url URL              redis://[:password@]host:port[/db], rediss://, redis-sentinel://
              --redis-key-prefix P         prefix of every Redis key (default mcp-relay)
              --admin-port N               serve the admin API on this port (default: no admin listener;
                                           0 picks a free one)
              --admin-bind ADDRESS         the admin listener's address (default 127.0.0.1)
              --admin-token TOKEN          the admin token, 16+ characters (default: generated and
                                           printed once with the admin URL)
              --log-format text|json       one plain line per log record (default), or one JSON object
                                           with ts, level, logger, msg and the session or stream id
              --stream-lease D             an instance's lease on reading a stream's upstream; after
                                           it runs out another instance takes the stream over (default 30s)
              --help                       print this help and exit

            Durations: 500ms, 30s, 5m, 1h, or ISO-8601 (PT30S).
            Every option can also come from the environment: MCP_RELAY_ and the option's name in
            upper case with underscores (MCP_RELAY_REDIS_URL, MCP_RELAY_UPSTREAM=url1,url2,
            MCP_RELAY_FORWARD_CREDENTIALS=true). Options on the command line win.
            """;

    private CommandLine() {
    }

    /** Thrown for {@code --help}. */
    static final class HelpRequested extends Exception {
        private static final long serialVersionUID = 1L;
    }

    static RelayOptions parse(String... args) throws HelpRequested {
        List<String> upstreamSpecs = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        String bind = RelayOptions.DEFAULT_BIND;
        int port = RelayOptions.DEFAULT_PORT;
        int maxBody = 4 << 20;
        Duration ttl = RelayOptions.DEFAULT_SESSION_TTL;
        int maxSessions = RelayOptions.DEFAULT_MAX_SESSIONS;
        boolean forwardCredentials = false;
        Duration connectTimeout = RelayOptions.DEFAULT_CONNECT_TIMEOUT;
        Duration readTimeout = RelayOptions.DEFAULT_READ_TIMEOUT;
        StreamSettings streamDefaults = StreamSettings.defaults();
        ReplayLogLimits replayDefaults = ReplayLogLimits.defaults();
        Duration heartbeat = streamDefaults.heartbeatInterval();
        Duration grace = streamDefaults.disconnectGrace();
        int replayEvents = replayDefaults.maxEvents();
        long replayBytes = replayDefaults.maxBytes();
        Duration replayTtl = replayDefaults.ttl();
        int replayStreams = replayDefaults.maxStreams();
        UpstreamOptions upstreamDefaults = UpstreamOptions.defaults();
        java.util.Map<String, Integer> weights = new java.util.LinkedHashMap<>();
        io.mcprelay.domain.routing.SelectionStrategy strategy = upstreamDefaults.strategy();
        Duration healthInterval = upstreamDefaults.health().interval();
        Duration healthTimeout = upstreamDefaults.health().timeout();
        int breakerFailures = upstreamDefaults.breaker().failureThreshold();
        Duration breakerOpen = upstreamDefaults.breaker().openDuration();
        int maxConcurrent = upstreamDefaults.maxConcurrent();
        Duration queueTimeout = upstreamDefaults.queueTimeout();
        StoreOptions.Kind storeKind = StoreOptions.Kind.MEMORY;
        java.util.Optional<java.net.URI> redisUrl = java.util.Optional.empty();
        String keyPrefix = "mcp-relay";
        Duration streamLease = streamDefaults.ownerLease();
        java.util.Optional<Integer> adminPort = java.util.Optional.empty();
        String adminBind = "127.0.0.1";
        java.util.Optional<String> adminToken = java.util.Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String inlineValue = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                inlineValue = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            switch (flag) {
                case "--help", "-h" -> throw new HelpRequested();
                case "--forward-credentials" -> forwardCredentials = true;
                default -> {
                    String value = inlineValue != null ? inlineValue : valueAfter(args, i++, flag);
                    switch (flag) {
                        case "--upstream" -> upstreamSpecs.add(value);
                        case "--port" -> port = integer(flag, value, 0, 65_535);
                        case "--bind" -> bind = nonBlank(flag, value);
                        case "--max-body-bytes" -> maxBody = integer(flag, value, 1, Integer.MAX_VALUE - 1);
                        case "--session-ttl" -> ttl = duration(flag, value);
                        case "--max-sessions" -> maxSessions = integer(flag, value, 1, Integer.MAX_VALUE);
                        case "--allowed-origin" -> origins.add(nonBlank(flag, value));
                        case "--allowed-host" -> hosts.add(nonBlank(flag, value));
                        case "--upstream-connect-timeout" -> connectTimeout = duration(flag, value);
                        case "--upstream-read-timeout" -> readTimeout = duration(flag, value);
                        case "--heartbeat-interval" -> heartbeat = duration(flag, value);
                        case "--disconnect-grace" -> grace = duration(flag, value);
                        case "--replay-max-events" -> replayEvents = integer(flag, value, 1, 10_000_000);
                        case "--replay-max-bytes" -> replayBytes = integer(flag, value, 1, Integer.MAX_VALUE);
                        case "--replay-ttl" -> replayTtl = duration(flag, value);
                        case "--replay-max-streams" -> replayStreams = integer(flag, value, 1, 10_000_000);
                        case "--weight" -> {
                            int eq2 = value.indexOf('=');
                            if (eq2 <= 0) {
                                throw new IllegalArgumentException("--weight: expected NAME=N, not " + value);
                            }
                            weights.put(value.substring(0, eq2), integer(flag, value.substring(eq2 + 1), 1, 1000));
                        }
                        case "--balance" -> strategy = strategy(value);
                        case "--health-interval" -> healthInterval = duration(flag, value);
                        case "--health-timeout" -> healthTimeout = duration(flag, value);
                        case "--breaker-failures" -> breakerFailures = integer(flag, value, 1, 1000);
                        case "--breaker-open" -> breakerOpen = duration(flag, value);
                        case "--upstream-max-concurrent" -> maxConcurrent = integer(flag, value, 1, 100_000);
                        case "--upstream-queue-timeout" -> queueTimeout = duration(flag, value);
                        case "--store" -> storeKind = switch (value.trim().toLowerCase(Locale.ROOT)) {
                            case "memory" -> StoreOptions.Kind.MEMORY;
                            case "redis" -> StoreOptions.Kind.REDIS;
                            default -> throw new IllegalArgumentException("--store: memory or redis, not " + value);
                        };
                        case "--redis-url" -> redisUrl = java.util.Optional.of(redisUri(value));
                        case "--redis-key-prefix" -> keyPrefix = nonBlank(flag, value);
                        case "--stream-lease" -> streamLease = duration(flag, value);
                        case "--log-format" -> {
                            if (!value.equalsIgnoreCase("text") && !value.equalsIgnoreCase("json")) {
                                throw new IllegalArgumentException("--log-format: text or json, not " + value);
                            }
                        }
                        case "--admin-port" -> adminPort = java.util.Optional.of(integer(flag, value, 0, 65_535));
                        case "--admin-bind" -> adminBind = nonBlank(flag, value);
                        case "--admin-token" -> adminToken = java.util.Optional.of(nonBlank(flag, value));
                        default -> throw new IllegalArgumentException(flag + ": unknown option (see --help)");
                    }
                }
            }
        }
        return new RelayOptions(upstreams(upstreamSpecs), bind, port, maxBody, ttl, maxSessions, origins, hosts,
                forwardCredentials, connectTimeout, readTimeout, new StreamSettings(heartbeat, grace, streamDefaults.replayBatch(), streamLease),
                new ReplayLogLimits(replayEvents, replayBytes, replayTtl, replayStreams),
                upstreamPolicies(strategy, weights, healthInterval, healthTimeout, breakerFailures, breakerOpen, maxConcurrent, queueTimeout),
                new StoreOptions(storeKind, redisUrl, keyPrefix), new AdminOptions(adminPort, adminBind, adminToken));
    }

    private static UpstreamOptions upstreamPolicies(io.mcprelay.domain.routing.SelectionStrategy strategy,
                                                    java.util.Map<String, Integer> weights, Duration healthInterval,
                                                    Duration healthTimeout, int breakerFailures, Duration breakerOpen,
                                                    int maxConcurrent, Duration queueTimeout) {
        io.mcprelay.domain.routing.HealthCheckPolicy defaults = io.mcprelay.domain.routing.HealthCheckPolicy.defaults();
        io.mcprelay.domain.routing.BreakerPolicy breaker = io.mcprelay.domain.routing.BreakerPolicy.defaults();
        if (healthTimeout.compareTo(healthInterval) > 0) {
            throw new IllegalArgumentException("--health-timeout: must not exceed --health-interval (" + healthInterval + ")");
        }
        return new UpstreamOptions(strategy, weights,
                new io.mcprelay.domain.routing.HealthCheckPolicy(healthInterval, healthTimeout, defaults.unhealthyAfter(), defaults.healthyAfter()),
                new io.mcprelay.domain.routing.BreakerPolicy(breakerFailures, breakerOpen, breaker.halfOpenTrials(), breaker.maxHalfOpenConcurrent()),
                maxConcurrent, queueTimeout);
    }

    private static io.mcprelay.domain.routing.SelectionStrategy strategy(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "weighted", "weighted-round-robin" -> io.mcprelay.domain.routing.SelectionStrategy.WEIGHTED_ROUND_ROBIN;
            case "round-robin" -> io.mcprelay.domain.routing.SelectionStrategy.ROUND_ROBIN;
            case "least-in-flight" -> io.mcprelay.domain.routing.SelectionStrategy.LEAST_IN_FLIGHT;
            case "random" -> io.mcprelay.domain.routing.SelectionStrategy.RANDOM_WEIGHTED;
            default -> throw new IllegalArgumentException("--balance: one of weighted, round-robin, least-in-flight, random; not " + value);
        };
    }

    private static java.net.URI redisUri(String value) {
        try {
            java.net.URI uri = new java.net.URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!java.util.Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel").contains(scheme)) {
                throw new IllegalArgumentException("--redis-url: must start with redis://, rediss:// or redis-sentinel://");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--redis-url: not a URL (" + e.getReason() + ")");
        }
    }

    /** Variables bin/mcp-relay reads itself (JVM options, interceptor modules): not options of the relay. */
    private static final java.util.Set<String> LAUNCHER_VARIABLES = java.util.Set.of("MCP_RELAY_JAVA_OPTS", "MCP_RELAY_MODULE_PATH");

    /** Flags that take no value. */
    private static final java.util.Set<String> SWITCHES = java.util.Set.of("--forward-credentials");
    /** Flags that may be given several times; from the environment, as a comma-separated list. */
    private static final java.util.Set<String> REPEATABLE = java.util.Set.of("--upstream", "--allowed-origin", "--allowed-host", "--weight");

    /**
     * The command line with the environment's MCP_RELAY_* settings in front of it, so that options
     * given on the command line win: a later single-valued flag replaces an earlier one, and a
     * repeatable flag given on the command line replaces the environment's list.
     */
    static String[] withEnvironment(java.util.Map<String, String> env, String... args) {
        java.util.List<String> fromEnv = new ArrayList<>();
        java.util.Set<String> onCommandLine = new java.util.HashSet<>();
        for (String arg : args) {
            if (arg.startsWith("--")) {
                onCommandLine.add(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg);
            }
        }
        java.util.List<String> names = new ArrayList<>(env.keySet());
        java.util.Collections.sort(names);
        for (String name : names) {
            if (!name.startsWith("MCP_RELAY_") || LAUNCHER_VARIABLES.contains(name)) {
                continue;
            }
            String flag = "--" + name.substring("MCP_RELAY_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
            String value = env.get(name);
            if (SWITCHES.contains(flag)) {
                if (Boolean.parseBoolean(value.trim())) {
                    fromEnv.add(flag);
                }
            } else if (REPEATABLE.contains(flag)) {
                if (!onCommandLine.contains(flag)) {
                    for (String item : value.split(",")) {
                        if (!item.isBlank()) {
                            fromEnv.add(flag);
                            fromEnv.add(item.trim());
                        }
                    }
                }
            } else {
                fromEnv.add(flag);
                fromEnv.add(value);
            }
        }
        fromEnv.addAll(java.util.List.of(args));
        return fromEnv.toArray(String[]::new);
    }

    private static String valueAfter(String[] args, int i, String flag) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new IllegalArgumentException(flag + ": needs a value");
        }
        return args[i + 1];
    }

    private static List<UpstreamTarget> upstreams(List<String> specs) {
        List<UpstreamTarget> targets = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            boolean named = eq > 0 && !spec.substring(0, eq).contains(":");
            String name = named ? spec.substring(0, eq) : "upstream-" + (targets.size() + 1);
            String url = named ? spec.substring(eq + 1) : spec;
            try {
                URI uri = new URI(url);
                targets.add(new UpstreamTarget(name, uri));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new IllegalArgumentException("--upstream: " + url + " is not a valid http(s) URL ("
                        + e.getMessage() + ")");
            }
        }
        return targets;
    }

    private static int integer(String flag, String value, int min, int max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException(flag + ": must be between " + min + " and " + max + ", not " + value);
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a whole number: " + value);
        }
    }

    private static String nonBlank(String flag, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + ": must not be empty");
        }
        return value.trim();
    }

    /** Parses 500ms, 30s, 5m, 1h, 2d, or ISO-8601; must be positive. */
    static Duration duration(String flag, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.startsWith("p")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("d")) {
                d = Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                throw new IllegalArgumentException(flag + ": " + value + " needs a unit (ms, s, m, h, d)");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(flag + ": not a duration: " + value);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(flag + ": must be positive, not " + value);
        }
        return d;
    }
}
