package io.mcprelay.bootstrap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the command line and the MCP_RELAY_* environment into {@link Setting}s by option; what the
 * values mean is {@link Settings}'s business. A flag that does not exist, or lacks its value, fails
 * here with a message naming it.
 */
final class CommandLine {

    static final String USAGE = """
            Usage: java -jar bootstrap/target/mcp-relay.jar --upstream URL [options]
                   java -jar bootstrap/target/mcp-relay.jar --config mcp-relay.yaml [options]

            mcp-relay: a reverse proxy for MCP servers (Streamable HTTP). Clients talk to
            http://BIND:PORT/mcp; health is at /health.

            Options:
              --config FILE                read the configuration from this YAML file (see
                                           docs/configuration.md); its interceptor rules and upstream
                                           list are reloaded when it changes or on SIGHUP
              --print-config               print the effective configuration as YAML (secrets masked) and exit
              --upstream [NAME=]URL        upstream MCP endpoint, e.g. http://127.0.0.1:3001/mcp
                                           (required; repeat for several; names default to upstream-1, -2, ...)
              --upstream NAME=stdio:[--chdir=DIR] [VAR=VALUE]... COMMAND [ARG]...
                                           a local stdio MCP server, one process per session, run
                                           without a shell (words split on spaces, '...' and "..."
                                           quote); docs/stdio.md
              --port N                     port to listen on (default 8080; 0 picks a free one)
              --bind ADDRESS               address to listen on (default 127.0.0.1)
              --max-body-bytes N           largest POST body accepted, else 413 (default 4194304)
              --max-body-memory N          bytes all request bodies in flight may hold together, else
                                           503 (default 67108864)
              --max-connections N          client connections open at once (default: half of the
                                           descriptor limit less 64, at most 20000)
              --header-timeout D           longest time to receive a request head, else 408 (default 10s)
              --body-timeout D             longest time to receive a request body, else 408 (default 60s)
              --idle-timeout D             close a kept-alive connection idle this long (default 75s)
              --session-ttl DURATION       idle time after which a session expires (default 30m)
              --max-sessions N             most sessions held at once (default 100000); when full, the
                                           client holding the most gives up its least recently used one
              --max-sessions-per-client N  sessions one client address holds at most; its next one
                                           replaces its least recently used (default 10000)
              --session-max-requests N     requests one session has in flight at most, else 429 (default 16)
              --session-max-streams N      GET streams one session has open at most, else 429 (default 4)
              --limit-per-principal RATE   token bucket of each principal (each session while clients do
                                           not authenticate), e.g. 20/1s or 600/1m,burst=50; else 429
                                           with Retry-After (default: no limit; docs/limits.md)
              --limit-tool TOOL=RATE       token bucket of one tool's tools/call, shared by every caller
                                           (repeatable; default: none)
              --limit-global RATE          one token bucket of every request (default: no limit)
              --limit-store-outage open|closed
                                           while the buckets' Redis cannot be reached: let requests
                                           through unlimited (default) or refuse them with 503
              --limit-redis-url URL        a Redis of their own for the limits' buckets, shared by every
                                           instance (default: the sessions' Redis, or this process)
              --allowed-origin ORIGIN      allow this browser Origin besides loopback ones (repeatable; * allows all)
              --allowed-host HOST          allow this Host header when bound to loopback (repeatable)
              --trusted-proxy CIDR         a proxy in front whose X-Forwarded-For/-Proto/-Host are read and
                                           appended to (repeatable; default none: every client's are
                                           replaced by what mcp-relay saw)
              --forward-credentials        forward the client's Authorization and Cookie headers upstream
                                           (default: never forwarded; Authorization never is with --auth-issuer)
              --auth-issuer URL            require a bearer token (JWT) from this issuer on /mcp (default:
                                           no authentication; docs/auth.md)
              --auth-jwks-uri URL          where the issuer publishes its signing keys (JWKS)
              --auth-resource URL          this relay's resource URL (RFC 8707), e.g. https://host/mcp:
                                           tokens must be issued for it
              --auth-audience AUD          accept tokens whose aud names AUD (repeatable; default: the resource)
              --auth-required-scope S      scope every request needs, else 403 (repeatable)
              --auth-clock-skew D          tolerance on exp and nbf (default 60s, at most 5m)
              --auth-jwks-timeout D        longest wait for the key set to be fetched (default 5s)
              --auth-jwks-cache-ttl D      fetched keys are used this long (default 10m)
              --auth-jwks-min-refresh D    least time between fetches for unknown key ids (default 30s)
              --auth-introspection-uri URL check opaque tokens at the issuer's RFC 7662 endpoint, with
                                           --auth-introspection-client-id ID and the secret in
                                           MCP_RELAY_AUTH_INTROSPECTION_CLIENT_SECRET (or the flag
                                           --auth-introspection-client-secret S)
              --auth-introspection-tokens T opaque (default: tokens that are not JWTs) or all
              --auth-introspection-timeout D longest wait for an introspection (default 5s)
              --auth-introspection-cache-ttl D an answer is kept this long (default 1m, at most 1h)
              --upstream-connect-timeout D connect timeout towards upstreams (default 5s)
              --upstream-read-timeout D    longest wait for an upstream's next bytes, or for it to
                                           take a request (default 5m)
              --heartbeat-interval D       SSE comment on idle client streams this often (default 15s)
              --disconnect-grace D         keep reading an upstream stream into the replay log this
                                           long after its client went away (default 60s)
              --replay-max-events N        events kept per stream for Last-Event-ID replay (default 1000)
              --replay-max-bytes N         bytes kept per stream for replay (default 4194304)
              --replay-ttl D               a replay log lives this long after its last event (default 10m)
              --replay-max-streams N       replay logs kept at once (default 10000)
              --weight NAME=N              weight of an upstream for new sessions, 1..1000 (default 1)
              --upstream-era NAME=ERA      protocol eras an upstream serves: auto (default: probed with
                                           server/discover), legacy, modern or dual (docs/eras.md)
              --balance STRATEGY           weighted (default; round-robin while weights are equal),
                                           round-robin, least-in-flight, random
              --health-interval D          active health check of every upstream this often (default 10s)
              --health-timeout D           a health probe's time limit (default 2s)
              --breaker-failures N         consecutive failures (connect, timeout, 5xx) that open an
                                           upstream's circuit (default 5)
              --breaker-open D             how long an open circuit refuses before a trial (default 30s)
              --upstream-max-concurrent N  requests (POST, DELETE, POST streams) open to one upstream at
                                           once (default 64)
              --upstream-max-streams N     GET streams open to one upstream at once, a budget of their
                                           own (default 256)
              --upstream-queue-timeout D   wait for one of them before answering 503 (default 5s)
              --bridge-legacy              carry 2026-07-28 requests to upstreams that serve only the 2025 era
                                           in upstream sessions mcp-relay holds (default: 400 -32022;
                                           docs/eras.md)
              --upstream-client socket|helidon
                                           the HTTP client towards upstreams: the built-in one on pooled
                                           sockets (default), or Helidon's WebClient
              --upstream-head-timeout D    longest an upstream's response head may take once its first
                                           byte came (default 30s)
              --upstream-max-json-bytes N  largest JSON answer read from an upstream, else 502
                                           (default 16777216)
              --stdio-max-processes N      processes one stdio upstream runs at once (default 64)
              --stdio-start-timeout D      time a new stdio process has to answer initialize (default 30s)
              --store memory|redis         where sessions and replay logs live (default memory; redis
                                           lets several instances serve every session)
              --session-store memory|redis where sessions live (default: as --store); redis lets every
                                           instance serve every session
              --replay-log-store memory|redis
                                           where replay logs and stream leases live (default: as
                                           --store); memory resumes a stream only on its own instance
              --redis-url URL              redis://[:password@]host:port[/db], rediss://, redis-sentinel://
              --redis-key-prefix P         prefix of every Redis key (default mcp-relay)
              --redis-near-cache true|false
                                           serve sessions from a local copy that Redis invalidates and
                                           renew their TTL at most every min(TTL/10, 5s) (default true)
              --admin-port N               serve the admin API on this port (default: no admin listener;
                                           0 picks a free one)
              --admin-bind ADDRESS         the admin listener's address (default 127.0.0.1)
              --admin-token TOKEN          the admin token, 16+ characters (default: generated and
                                           printed once with the admin URL)
              --admin-login-ttl D          how long an admin UI login (its cookie) lasts (default 12h)
              --log-format text|json       one plain line per log record (default), or one JSON object
                                           with ts, level, logger, msg and the session or stream id
              --access-log                 one line per request to /mcp (logger mcp-relay.access, in the
                                           --log-format): client, method, JSON-RPC method, session,
                                           upstream, status, bytes, duration, stream events
              --access-log-sample PERCENT  log this share (1-100) of successful requests; refused and
                                           failed ones are always logged (default 100)
              --tracing                    OpenTelemetry traces: a span per request and per upstream
                                           exchange, exported over OTLP/HTTP (default off; docs/tracing.md)
              --tracing-endpoint URL       the OTLP/HTTP collector (default OTEL_EXPORTER_OTLP_ENDPOINT,
                                           else http://localhost:4318; /v1/traces added to a bare URL)
              --tracing-service-name NAME  the spans' service.name (default OTEL_SERVICE_NAME, else mcp-relay)
              --tracing-sample RATIO       share (0-1) of new traces recorded; a client's sampled trace
                                           is always followed (default OTEL_TRACES_SAMPLER_ARG, else 1)
              --drain-timeout D            on SIGTERM or SIGINT: readiness fails and new sessions get
                                           503 at once; requests in flight get this long to finish,
                                           then open streams are ended cleanly for their clients to
                                           resume elsewhere, and the process exits 0 (default 30s;
                                           a second signal stops at once)
              --stream-lease D             an instance's lease on the streams it relays (one liveness
                                           key per instance, renewed every quarter of it); once it
                                           lapses, an instance following one of its streams takes
                                           the stream over (default 2s)
              --version                    print "mcp-relay VERSION" and exit
              --help                       print this help and exit

            Durations: 500ms, 30s, 5m, 1h, or ISO-8601 (PT30S).
            Every option can also come from the environment: MCP_RELAY_ and the option's name in
            upper case with underscores (MCP_RELAY_REDIS_URL, MCP_RELAY_UPSTREAM=url1,url2,
            MCP_RELAY_FORWARD_CREDENTIALS=true, MCP_RELAY_CONFIG=/etc/mcp-relay.yaml).
            Precedence: defaults < configuration file < environment < command line.
            Other MCP_RELAY_* variables are ignored: Kubernetes service links (MCP_RELAY_SERVICE_HOST,
            MCP_RELAY_PORT=tcp://..., ...) silently, any other name with a warning.

            Exit codes: 0 stopped normally (or --help, --version, --print-config); 1 could not start;
            2 invalid configuration; 3 a listener could not bind its address (port taken, ...),
            or stopped accepting connections, or the JVM ran out of memory.
            """;

    private CommandLine() {
    }

    /** Thrown for {@code --version}. */
    static final class VersionRequested extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** Thrown for {@code --help}. */
    static final class HelpRequested extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The command line: the settings it gives, by option, and what it asks mcp-relay to do besides.
     *
     * @param settings    the options given, each with the flag as its origin
     * @param configFile  {@code --config FILE}, if given
     * @param printConfig {@code --print-config}: print the effective configuration and exit
     */
    record Arguments(Map<String, List<Setting>> settings, Optional<String> configFile, boolean printConfig) {
    }

    static Arguments parse(String... args) throws HelpRequested, VersionRequested, ConfigException {
        Map<String, List<Setting>> settings = new LinkedHashMap<>();
        Optional<String> configFile = Optional.empty();
        boolean printConfig = false;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String inlineValue = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                inlineValue = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new HelpRequested();
            } else if (flag.equals("--version")) {
                throw new VersionRequested();
            } else if (flag.equals("--print-config")) {
                printConfig = true;
            } else if (Settings.SWITCHES.contains(flag)) {
                settings.computeIfAbsent(flag, f -> new ArrayList<>()).add(new Setting(inlineValue == null ? "true" : inlineValue, flag));
            } else if (flag.equals("--config") || Settings.VALUED.contains(flag)) {
                if (inlineValue == null && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
                    problems.add(flag + ": needs a value");
                    continue;
                }
                String value = inlineValue != null ? inlineValue : args[++i];
                if (flag.equals("--config")) {
                    configFile = Optional.of(value);
                } else if (Settings.REPEATABLE.contains(flag)) {
                    settings.computeIfAbsent(flag, f -> new ArrayList<>()).add(new Setting(value, flag));
                } else {
                    settings.put(flag, List.of(new Setting(value, flag)));
                }
            } else {
                problems.add(flag + ": unknown option (see --help)");
                break;    // whether it took a value is unknown, so the rest cannot be read reliably
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Arguments(settings, configFile, printConfig);
    }

    /** The environment variable that names the configuration file when {@code --config} is not given. */
    static final String CONFIG_VARIABLE = "MCP_RELAY_CONFIG";

    /**
     * The settings of the MCP_RELAY_* variables in {@code env}, each with the variable as its origin:
     * {@code MCP_RELAY_} plus the option's name in upper case with underscores. A repeatable option's
     * variable holds a comma-separated list; a switch's holds true or false. Other MCP_RELAY_* variables
     * (Kubernetes service links, names that are no setting) are left out: see {@link EnvironmentNames},
     * whose {@link EnvironmentNames#warning} {@link Main} logs.
     */
    static Map<String, List<Setting>> environment(Map<String, String> env) {
        Map<String, List<Setting>> settings = new LinkedHashMap<>();
        for (String name : EnvironmentNames.names(env)) {
            String value = env.get(name);
            if (EnvironmentNames.kind(name, value) != EnvironmentNames.Kind.SETTING) {
                continue;
            }
            String flag = EnvironmentNames.flagOf(name);
            if (Settings.REPEATABLE.contains(flag)) {
                List<Setting> items = new ArrayList<>();
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        items.add(new Setting(item.trim(), name));
                    }
                }
                settings.put(flag, items);
            } else {
                settings.put(flag, List.of(new Setting(value, name)));
            }
        }
        return settings;
    }
}
