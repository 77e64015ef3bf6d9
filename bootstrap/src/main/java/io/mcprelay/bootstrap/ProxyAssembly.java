package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.in.BearerGate;
import io.mcprelay.adapter.http.admin.ConsoleTraffic;
import io.mcprelay.adapter.http.in.AccessLog;
import io.mcprelay.adapter.http.in.Drain;
import io.mcprelay.adapter.http.in.HealthHttpService;
import io.mcprelay.adapter.http.in.MessageNotingMetrics;
import io.mcprelay.adapter.http.in.RequestObserver;
import io.mcprelay.adapter.http.in.TrafficFilter;
import io.mcprelay.adapter.http.metrics.MeteredUpstream;
import io.mcprelay.adapter.http.in.TrustedProxies;
import io.mcprelay.adapter.http.tracing.OtelTracingAdapter;
import io.mcprelay.adapter.http.tracing.TracingConfig;
import io.mcprelay.application.port.out.trace.TracingPort;
import io.mcprelay.application.service.TracedUpstream;
import io.mcprelay.adapter.http.in.ProtectedResource;
import io.mcprelay.adapter.http.in.McpEndpointConfig;
import io.mcprelay.adapter.http.in.McpHttpEndpoint;
import io.mcprelay.adapter.http.json.JacksonJsonEditAdapter;
import io.mcprelay.adapter.http.json.JacksonMessageCodecAdapter;
import io.mcprelay.adapter.http.metrics.MicrometerMetricsAdapter;
import io.mcprelay.adapter.http.metrics.PrometheusHttpService;
import io.mcprelay.adapter.http.out.UpstreamClientConfig;
import io.mcprelay.adapter.storage.memory.InMemoryEventLogAdapter;
import io.mcprelay.adapter.storage.memory.InMemoryStreamLeaseAdapter;
import io.mcprelay.adapter.storage.memory.InMemorySessionStoreAdapter;
import io.mcprelay.adapter.storage.redis.RedisConfig;
import io.mcprelay.adapter.storage.redis.RedisConnection;
import io.mcprelay.adapter.storage.redis.RedisEventLogAdapter;
import io.mcprelay.adapter.storage.redis.RedisStreamLeaseAdapter;
import io.mcprelay.adapter.storage.redis.NearCacheConfig;
import io.mcprelay.adapter.storage.redis.RedisSessionStoreAdapter;
import io.mcprelay.adapter.storage.redis.RedisRateLimitAdapter;
import io.mcprelay.adapter.storage.memory.InMemoryRateLimitAdapter;
import io.mcprelay.application.port.out.RateLimitPort;
import io.mcprelay.application.service.RateLimitGate;
import io.mcprelay.domain.limit.RateLimits;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.UpstreamProbePort;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.service.InterceptionService;
import io.mcprelay.application.service.ModernUpstreamBridge;
import io.mcprelay.application.service.RelayService;
import io.mcprelay.application.spi.MessageInterceptor;
import io.mcprelay.application.service.RelaySettings;
import io.mcprelay.application.service.SessionOpener;
import io.mcprelay.application.service.StreamRelay;
import io.mcprelay.application.service.StreamService;
import io.mcprelay.application.service.StreamSupervision;
import io.mcprelay.application.service.TerminateService;
import io.mcprelay.application.service.AdminService;
import io.mcprelay.application.service.AuthenticationService;
import io.mcprelay.domain.auth.ScopeRequirement;
import io.mcprelay.application.service.GuardedUpstream;
import io.mcprelay.application.service.EraProbe;
import io.mcprelay.application.service.HealthProbeService;
import io.mcprelay.application.service.MeteredSessionStore;
import io.mcprelay.application.service.ProbesByTransport;
import io.mcprelay.application.service.UpstreamCatalog;
import io.mcprelay.application.service.UpstreamsByTransport;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.access.OriginPolicy;
import io.mcprelay.domain.routing.TransportKind;
import io.mcprelay.adapter.stdio.StdioProbeAdapter;
import io.mcprelay.adapter.stdio.StdioProcesses;
import io.mcprelay.adapter.stdio.StdioSettings;
import io.mcprelay.adapter.stdio.StdioUpstreamAdapter;
import io.mcprelay.domain.session.SessionPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The composition root: builds every adapter and service by hand, from the options, in one
 * readable place. Nothing else in mcp-relay calls a constructor of another layer.
 */
final class ProxyAssembly {

    /** A stream id that is never issued (ids are 22 characters): the readiness check reads its log's state. */
    private static final StreamId READINESS_STREAM = new StreamId("readiness-probe");

    final SessionStorePort sessions;
    final EventLogPort eventLog;
    /** The coordination of the instances sharing {@link #eventLog} (liveness, stream leases, followers): the same store's other port. */
    final StreamLeasePort leases;
    /** Names this instance in stream leases: unique among the instances that share a store. */
    final String instanceId;
    /** The stdio upstreams' server processes on this instance; closing stops them all. */
    final StdioProcesses stdioProcesses;
    final UpstreamCatalog upstreams;
    final AdminService admin;
    final MicrometerMetricsAdapter metrics;
    final PrometheusHttpService metricsEndpoint;
    final HealthProbeService probes;
    /** Which eras each upstream serves: probed at start ({@link McpRelayServer}) and with the health checks. */
    final EraProbe eras;
    /**
     * The HTTP upstream client {@code upstreamPolicy.client} chose: our own HTTP/1.1 over pooled
     * sockets (the default) or Helidon's WebClient; closing it closes its idle connections.
     */
    final UpstreamClient upstreamClient;
    private final RedisConnection redis;
    /** The rate limits' own Redis ({@code limits.redisUrl}), or null. */
    private final RedisConnection limitRedis;
    final McpHttpEndpoint mcpEndpoint;
    /** What the admin console records of the relayed messages: the MCP endpoint's relay use case goes through it. */
    final ConsoleTraffic console;
    final HealthHttpService health;
    /** The main listener's drain: readiness, refusal of new sessions, requests in flight, open streams. */
    final Drain drain = new Drain();
    /** Counts, refuses while draining, measures and logs every request to the MCP endpoint. */
    final TrafficFilter traffic;
    /** Serves every stream; a graceful stop hands them over. */
    final StreamRelay streams;
    /** The relay use case; the drain also ends what its bridges hold upstream through it. */
    final RelayService relay;
    /** The rate limits, replaced by a configuration reload. */
    final RateLimitGate rateLimits;
    /** What clients need to know to get a token for this relay; present when clients must authenticate. */
    final java.util.Optional<ProtectedResource> protectedResource;
    /** The one timer that supervises every open stream (heartbeats, leases, disconnect grace). */
    private final StreamSupervision supervision;

    /** Where spans go: OpenTelemetry's OTLP exporter, or nowhere. */
    final TracingPort tracing;

    /** The interceptor chain; also what a configuration reload gives new rules to. */
    final InterceptionService interception;

    /**
     * @param interceptors the code interceptors found on the module path; they run after the
     *                     configured rules ({@code options.rules()})
     */
    ProxyAssembly(RelayOptions options, List<MessageInterceptor> interceptors) {
        this(options, OperationsOptions.defaults(), interceptors);
    }

    /** As {@link #ProxyAssembly(RelayOptions, List)}, with the access log that {@code operations} asks for. */
    ProxyAssembly(RelayOptions options, OperationsOptions operations, List<MessageInterceptor> interceptors) {
        ClockPort clock = Instant::now;
        MessageCodecPort codec = new JacksonMessageCodecAdapter();
        this.upstreamClient = UpstreamClient.of(options.upstreamPolicies().client(), UpstreamClientConfig.defaults()
                .withTimeouts(options.upstreamConnectTimeout(), options.upstreamReadTimeout())
                .withConcurrency(options.upstreamPolicies().maxConcurrent(), options.upstreamPolicies().queueTimeout())
                .withAnswerLimits(options.upstreamPolicies().headTimeout(), options.upstreamPolicies().maxJsonBytes())
                .withMaxStreams(options.fairness().maxStreamsPerUpstream()));
        try {
            // mcp-relay's own credentials for upstreams: secrets read now, a missing one stops the start
            upstreamClient.port().useCredentials(UpstreamAuth.build(options.upstreamAuth(), System::getenv));
        } catch (IllegalArgumentException e) {
            upstreamClient.close().run();
            throw e;
        }
        // one adapter (and health probe) per transport; a target's transport picks its adapter (docs/adding-an-adapter.md)
        Map<TransportKind, UpstreamPort> transports = new EnumMap<>(TransportKind.class);
        Map<TransportKind, UpstreamProbePort> transportProbes = new EnumMap<>(TransportKind.class);
        transports.put(TransportKind.HTTP, upstreamClient.port());
        transportProbes.put(TransportKind.HTTP, upstreamClient.probe());
        this.metrics = new MicrometerMetricsAdapter();
        SecureRandomIds ids = new SecureRandomIds();
        this.instanceId = ids.nextInstanceId();
        // stdio upstreams: one process per session, named after this instance (docs/stdio.md)
        this.stdioProcesses = new StdioProcesses(StdioSettings.defaults()
                .withMaxProcessesPerUpstream(options.upstreamPolicies().stdioMaxProcesses())
                .withStartupTimeout(options.upstreamPolicies().stdioStartTimeout())
                .withAnswerTimeout(options.upstreamReadTimeout())
                .withIdleTimeout(options.sessionTtl()), metrics, instanceId);
        transports.put(TransportKind.STDIO, new StdioUpstreamAdapter(stdioProcesses));
        transportProbes.put(TransportKind.STDIO, new StdioProbeAdapter());
        UpstreamsByTransport byTransport = new UpstreamsByTransport(transports);
        try {
            byTransport.requireAdapters(options.upstreams());
        } catch (IllegalArgumentException e) {
            upstreamClient.close().run();
            throw e;
        }
        UpstreamPort upstream = byTransport;
        SessionPolicy sessionPolicy = new SessionPolicy(options.sessionTtl());
        // sessions and replay logs each in memory or Redis (docs/distributed.md); one connection serves both
        StoreOptions store = options.store();
        this.redis = store.usesRedis()
                ? new RedisConnection(RedisConfig.defaults(store.redisUrl().orElseThrow()).withKeyPrefix(store.keyPrefix()))
                : null;
        SessionStorePort rawStore;
        if (store.sessions() == StoreOptions.Kind.REDIS) {
            // the near-cache saves a Redis round trip per request; store.nearCache: false is the fallback
            rawStore = new RedisSessionStoreAdapter(redis, sessionPolicy, clock, options.maxSessions(),
                    store.nearCache() ? NearCacheConfig.defaults(sessionPolicy) : NearCacheConfig.off());
        } else {
            rawStore = new InMemorySessionStoreAdapter(sessionPolicy, clock, options.maxSessions());
        }
        // the stream coordination goes with the log: a stream's lease lives and expires with its log
        if (store.log() == StoreOptions.Kind.REDIS) {
            this.eventLog = new RedisEventLogAdapter(redis, options.replayLog(), clock);
            this.leases = new RedisStreamLeaseAdapter(redis);
        } else {
            InMemoryEventLogAdapter logs = new InMemoryEventLogAdapter(options.replayLog(), clock);
            this.eventLog = logs;
            this.leases = new InMemoryStreamLeaseAdapter(logs);
        }
        this.sessions = new MeteredSessionStore(rawStore, metrics);
        this.limitRedis = options.fairness().limits().redisUrl()
                .map(url -> new RedisConnection(RedisConfig.defaults(url).withKeyPrefix(options.store().keyPrefix()))).orElse(null);

        UpstreamOptions policies = options.upstreamPolicies();
        this.upstreams = new UpstreamCatalog(UpstreamSettings.upstreamSpecs(options), policies.strategy(), policies.breaker(), policies.health(), clock);
        this.tracing = tracing(operations.tracing());
        JacksonJsonEditAdapter jsonEdit = new JacksonJsonEditAdapter();
        // a span per upstream exchange around everything else (the breaker's refusal included); with
        // tracing off it passes calls through, the client's trace context with them
        upstream = new TracedUpstream(new MeteredUpstream(new GuardedUpstream(upstream, upstreams), metrics), tracing, jsonEdit);
        // the era probe is mcp-relay's own traffic, like the health checks: not metered, traced or fed to the breakers
        this.eras = new EraProbe(byTransport, codec, upstreams);
        this.probes = new HealthProbeService(new ProbesByTransport(transportProbes), upstreams, policies.health(), java.util.Optional.of(eras));
        RelaySettings settings = new RelaySettings(new HeaderPolicy(options.forwardCredentials(), options.auth().enabled()), 32, options.fairness().share(),
                options.fairness().quota(), store.replayLogsLocalToInstance(), policies.bridgeLegacy());
        this.interception = new InterceptionService(options.rules(), interceptors, jsonEdit, metrics);
        this.supervision = new StreamSupervision();
        this.streams = new StreamRelay(eventLog, leases, ids::nextStreamId, codec, clock, new MessageNotingMetrics(metrics), options.streams(),
                instanceId, interception, supervision);
        SessionOpener opener = new SessionOpener(sessions, upstream, codec, upstreams, clock, ids::nextSessionId, settings, streams);
        this.rateLimits = rateLimits(options, clock);
        // bridge (a), always on: a 2025-era client in front of a modern-only upstream fails without it (docs/eras.md)
        java.util.Optional<ModernUpstreamBridge> bridgeToModern = java.util.Optional.of(
                new ModernUpstreamBridge(sessions, upstream, upstreams, eras, settings, streams));
        this.relay = new RelayService(sessions, upstream, codec, upstreams, opener, settings, streams, rateLimits, eras, bridgeToModern);
        TerminateService terminate = new TerminateService(sessions, upstream, upstreams, settings.headerPolicy(), streams, bridgeToModern);
        StreamService streamService = new StreamService(sessions, upstream, upstreams, settings, streams, bridgeToModern);
        this.admin = new AdminService(sessions, upstream, upstreams, streams);
        metrics.bindUpstreams(upstreams);
        metrics.registerBuildInfo(BuildVersion.VERSION);
        this.metricsEndpoint = new PrometheusHttpService(metrics);
        this.console = new ConsoleTraffic(new MetricsLiveView(metrics));

        OriginPolicy origins = OriginPolicy.forListener(isLoopback(options.bind()), options.allowedOrigins(), options.allowedHosts());
        this.protectedResource = AuthAssembly.protectedResource(options.auth());
        java.util.Optional<BearerGate> bearer = protectedResource.map(resource -> new BearerGate(new AuthenticationService(
                AuthAssembly.tokenVerifier(options.auth()), new ScopeRequirement(java.util.Set.copyOf(options.auth().requiredScopes()))), resource));
        this.mcpEndpoint = new McpHttpEndpoint(console.recording(relay), terminate, streamService, new McpEndpointConfig(options.maxBodyBytes(),
                origins, options.clients().maxBodyMemory()), bearer);
        this.health = new HealthHttpService(this::notReady, BuildVersion.VERSION);
        RequestObserver measured = record -> metrics.requestCompleted(record.httpMethod(), record.rpcMethod().orElse(null), record.status(),
                record.duration());
        this.traffic = new TrafficFilter("/mcp", drain, operations.accessLog()
                ? measured.andThen(new AccessLog(operations.accessLogSample())) : measured,
                TrustedProxies.parse(operations.trustedProxies()), tracing);
    }

    /** The OTLP exporter when tracing is on, else {@link TracingPort#OFF}. */
    private static TracingPort tracing(TracingOptions options) {
        if (!options.enabled()) {
            return TracingPort.OFF;
        }
        return OtelTracingAdapter.otlp(new TracingConfig(options.endpoint(), options.serviceName(), BuildVersion.VERSION,
                options.sampleRatio(), options.headers(), TracingConfig.DEFAULT_TIMEOUT));
    }

    /** Why this instance cannot serve now (draining, or one of its stores is unreachable), or empty when it can. */
    private java.util.Optional<String> notReady() {
        if (drain.draining()) {
            return drain.notReady();
        }
        try {
            sessions.find(new ProxySessionId("readiness-probe"));
        } catch (StoreUnavailableException e) {
            return java.util.Optional.of("session store unreachable: " + e.getMessage());
        }
        try {
            eventLog.state(READINESS_STREAM);
            return java.util.Optional.empty();
        } catch (StoreUnavailableException e) {
            return java.util.Optional.of("replay log store unreachable: " + e.getMessage());
        }
    }

    /**
     * Gives up this instance's streams: stops the stream supervision timer (and with it this
     * instance's liveness beats) and drops this instance's liveness mark, so that an instance
     * following one of its streams (a client that resumed it there) takes it over at once instead
     * of after the lease. Once is enough; later calls do nothing more than try the drop again.
     */
    void releaseStreams() {
        supervision.close();
        try {
            leases.retire(instanceId);
        } catch (RuntimeException e) {
            System.getLogger(ProxyAssembly.class.getName()).log(System.Logger.Level.DEBUG,
                    "liveness mark not dropped at shutdown (it lapses after the lease): {0}", e.getMessage());
        }
    }

    /**
     * {@link #releaseStreams() Releases the streams}, then the upstream client's and the store's
     * connections.
     */
    void close() {
        releaseStreams();
        upstreamClient.close().run();
        stdioProcesses.close();    // every stdio server process stopped and reaped before the relay exits
        metrics.close();
        if (tracing instanceof AutoCloseable spans) {
            try {
                spans.close();    // exports the spans still queued, bounded by a few seconds
            } catch (Exception e) {
                System.getLogger(ProxyAssembly.class.getName()).log(System.Logger.Level.DEBUG, "spans not exported at shutdown: {0}", e.toString());
            }
        }
        for (Object store : List.of(leases, eventLog)) {
            if (store instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // shutting down
                }
            }
        }
        if (redis != null) {
            redis.close();
        }
        if (limitRedis != null) {
            limitRedis.close();
        }
    }

    private static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind: unknown address " + bind);
        }
    }

    /**
     * The rate limits' gate: buckets in the limits' own Redis if configured, else in the sessions'
     * Redis (either way every instance shares them), else in this process (also when only the replay
     * logs are in Redis: the limits go with the sessions they count). A reload replaces the limits
     * ({@link RateLimitGate#replace}); where the buckets live needs a restart.
     */
    private RateLimitGate rateLimits(RelayOptions options, ClockPort clock) {
        RateLimits limits = options.fairness().limits().rates();
        // the store is built even while no limit is on (a reload may turn one on); it does nothing
        // until a limit asks it: the gate lets every request through without a call while limits are off
        RateLimitPort buckets;
        if (limitRedis != null) {
            buckets = new RedisRateLimitAdapter(limitRedis);
        } else if (options.store().sessions() == StoreOptions.Kind.REDIS) {
            buckets = new RedisRateLimitAdapter(redis);
        } else {
            buckets = new InMemoryRateLimitAdapter(clock);
        }
        return new RateLimitGate(limits, buckets, metrics);
    }

}
