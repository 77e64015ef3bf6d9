package io.mcprelay.bootstrap;

import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.media.MediaContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.mcprelay.adapter.http.admin.AdminHttpService;
import io.mcprelay.adapter.http.in.ClientConnections;
import io.mcprelay.adapter.http.in.CloseWhenAsked;
import io.mcprelay.adapter.http.in.ProtectedResource;
import io.mcprelay.adapter.http.in.ProtectedResourceMetadataEndpoint;
import java.util.Optional;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.service.InterceptionService;
import io.helidon.webserver.http.HttpRouting;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running mcp-relay: the Helidon server with its routes, and the housekeeping that expires
 * sessions. Tests start it exactly as {@link Main} does.
 */
public final class McpRelayServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(McpRelayServer.class.getName());
    /** The response buffer of each connection (see {@link #listener(String, int)}). */
    private static final int WRITE_BUFFER_BYTES = 256;
    /** How long the end of a drain waits for the handlers of handed-over streams to end their responses. */
    private static final java.time.Duration STREAM_END_WAIT = java.time.Duration.ofSeconds(2);

    private final WebServer server;
    private final ClientConnections clients;
    private final ClientConnections adminClients;
    private final ScheduledExecutorService housekeeping;
    private final ProxyAssembly assembly;
    private final Optional<AdminListener> admin;
    private volatile Optional<ConfigReloader> reloader = Optional.empty();

    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    private McpRelayServer(WebServer server, ClientConnections clients, ClientConnections adminClients, ScheduledExecutorService housekeeping,
                           ProxyAssembly assembly, Optional<AdminListener> admin) {
        this.server = server;
        this.clients = clients;
        this.adminClients = adminClients;
        this.housekeeping = housekeeping;
        this.assembly = assembly;
        this.admin = admin;
    }

    /** The admin listener, when one was asked for: its port and token. */
    record AdminListener(WebServer server, String token) {
        int port() {
            return server.port();
        }
    }

    /** Builds everything from {@code options} and starts listening, with the code interceptors on the module path. */
    static McpRelayServer start(RelayOptions options) {
        return start(options, McpRelayServer.class.getClassLoader());
    }

    /**
     * As {@link #start(RelayOptions)}, with the code interceptors {@link java.util.ServiceLoader} finds
     * through {@code interceptors} (the class loader of a module layer holding interceptor modules).
     */
    static McpRelayServer start(RelayOptions options, ClassLoader interceptors) {
        return start(options, interceptors, () -> { });
    }

    /**
     * As {@link #start(RelayOptions, ClassLoader)}; {@code onListenerDeath} runs when the main listener
     * stops taking connections while the server is meant to run ({@link Main} exits with a failure).
     */
    static McpRelayServer start(RelayOptions options, ClassLoader interceptors, Runnable onListenerDeath) {
        return start(options, OperationsOptions.defaults(), interceptors, onListenerDeath);
    }

    /** As {@link #start(RelayOptions, ClassLoader, Runnable)}, with the access log {@code operations} asks for. */
    static McpRelayServer start(RelayOptions options, OperationsOptions operations, ClassLoader interceptors, Runnable onListenerDeath) {
        ProxyAssembly assembly = new ProxyAssembly(options, operations, CodeInterceptors.load(interceptors));
        ClientConnections clients = new ClientConnections(options.clients().limits());
        assembly.metrics.bindGauges(new io.mcprelay.adapter.http.metrics.MicrometerMetricsAdapter.ListenerGauges(assembly.drain::draining,
                assembly.drain::inFlight, clients::openConnections, clients::refusedConnections, clients::evictedConnections,
                clients::timedOutConnections), assembly.sessions::count);
        WebServer server = listener(options.bind(), options.port(), clients)
                .routing(routing -> routing(routing, assembly))
                .build()
                .start();
        try {
            CannotListen.ifStopped(server, options.bind(), options.port());
        } catch (CannotListen e) {
            clients.close();
            assembly.close();
            throw e;
        }
        ScheduledExecutorService housekeeping = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().name("mcp-relay-housekeeping").daemon(true).factory());
        // off the start-up path: the first scrape would otherwise bind them itself (MicrometerMetricsAdapter)
        housekeeping.execute(assembly.metrics::bindJvmMeters);
        housekeeping.scheduleWithFixedDelay(() -> purge(assembly, options.sessionTtl()), 30, 30, TimeUnit.SECONDS);
        long probeEvery = assembly.probes.policy().interval().toMillis();
        housekeeping.scheduleWithFixedDelay(() -> probe(assembly), 0, probeEvery, TimeUnit.MILLISECONDS);
        // each auto upstream's eras, judged in the background: a slow or dead upstream never holds up
        // the start (one down now is probed again with the health checks, docs/eras.md)
        Thread.ofVirtual().name("mcp-relay-era-probe").start(() -> probeEras(assembly));
        ClientConnections adminClients = new ClientConnections(options.clients().limits());
        Optional<AdminListener> admin;
        try {
            admin = options.admin().port().map(port -> startAdmin(options.admin(), port, assembly, adminClients));
        } catch (CannotListen e) {
            housekeeping.shutdownNow();
            server.stop();
            clients.close();
            adminClients.close();
            assembly.close();
            throw e;
        }
        McpRelayServer relay = new McpRelayServer(server, clients, adminClients, housekeeping, assembly, admin);
        ListenerProbe probe = new ListenerProbe(options.bind(), server.port());
        housekeeping.scheduleWithFixedDelay(() -> relay.checkListener(probe, onListenerDeath), 2, 2, TimeUnit.SECONDS);
        return relay;
    }

    /**
     * Helidon's listener ends for good when {@code accept} fails (out of descriptors: "Too many open
     * files ... this server socket is terminating now") while the process lives on, serving nobody.
     * A refused connection to our own port shows it; that is fatal.
     */
    private void checkListener(ListenerProbe probe, Runnable onListenerDeath) {
        if (!closing && probe.refused() && !closing) {
            LOG.log(System.Logger.Level.ERROR, "the listener on port {0} no longer accepts connections: stopping", probe.port());
            onListenerDeath.run();
        }
    }

    private static AdminListener startAdmin(AdminOptions options, int port, ProxyAssembly assembly, ClientConnections clients) {
        String token = options.token().orElseGet(() -> {
            byte[] bytes = new byte[24];
            new java.security.SecureRandom().nextBytes(bytes);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        });
        AdminHttpService service = new AdminHttpService(token, options.loginTtl(), assembly.admin, assembly.admin, assembly.upstreams,
                assembly.upstreams, assembly.instanceId, java.time.Instant::now, assembly.console,
                assembly.interception, BuildVersion.VERSION);
        WebServer admin = listener(options.bind(), port, clients).routing(r -> r.addFilter(new CloseWhenAsked()).register("/", service))
                .build().start();
        CannotListen.ifStopped(admin, options.bind(), port);
        return new AdminListener(admin, token);
    }

    /**
     * A server on {@code host:port} with everything it serves with named here: HTTP/1.1 and Helidon's
     * built-in media supports, no server features, content encodings or concurrency limits. Left to
     * itself, Helidon looks each of these up through its service discovery at build time, which found
     * exactly these on our class path (plus the service registry's request-scope feature, which nothing
     * here uses) and cost some 5 % of start-up CPU time.
     *
     * <p>Each connection is a plain socket ({@code useNio(false)}) with a {@value #WRITE_BUFFER_BYTES}-byte
     * response buffer: an open event stream holds its connection's buffers for as long as it lasts,
     * and Helidon's defaults (an NIO channel with 8 KiB read and 8 KiB write buffers, and a 4 KiB
     * response buffer) were 20 KiB of each stream's memory; the plain socket needs only its 8 KiB read
     * buffer. Nothing is written through the small buffer in pieces: a JSON answer is sent whole, and
     * each event is one write that a larger-than-buffer write bypasses (docs/benchmarks.md).
     *
     * <p>HTTP/1.1 is served through {@code clients} ({@link ClientConnections}): every byte is checked
     * for strict framing before Helidon's parser sees it, and the connection deadlines and cap apply.
     */
    static WebServerConfig.Builder listener(String host, int port, ClientConnections clients) {
        WebServerConfig.Builder builder = WebServer.builder()
                .host(host)
                .port(port)
                .useNio(false)
                .writeBufferSize(WRITE_BUFFER_BYTES)
                .featuresDiscoverServices(false)
                .protocolsDiscoverServices(false)
                .concurrencyLimitDiscoverServices(false)
                .mediaContext(MediaContext.builder().mediaSupportsDiscoverServices(false).build())
                .contentEncoding(ContentEncodingContext.builder().contentEncodingsDiscoverServices(false).build())
                // what the listener answers itself (431, 414, framing errors) has a JSON-RPC error body too
                .directHandlers(handlers -> {
                    io.helidon.http.DirectHandler jsonRpc = new io.mcprelay.adapter.http.in.JsonRpcDirectHandler();
                    for (io.helidon.http.DirectHandler.EventType type : io.helidon.http.DirectHandler.EventType.values()) {
                        handlers.addHandler(type, jsonRpc);
                    }
                });
        return clients.applyTo(builder);
    }

    /**
     * Reloads {@code file} when it changes (polled every {@code pollEvery}) and on SIGHUP, applying the
     * upstream list and interception rules to this running server (see {@link ConfigReloader}).
     */
    ConfigReloader reloadFrom(java.nio.file.Path file, ConfigReloader.Source source, Configuration running, java.time.Duration pollEvery) {
        ConfigReloader watcher = new ConfigReloader(file, source, running, assembly.upstreams, assembly.interception, () -> probe(assembly));
        watcher.onReload(outcome -> assembly.metrics.configReloaded(outcome instanceof ConfigReloader.Outcome.Applied));
        watcher.onRateLimits(assembly.rateLimits::replace);
        watcher.onUpstreamCredentials(next -> assembly.upstreamClient.port().useCredentials(
                UpstreamAuth.build(next.upstreamAuth(), System::getenv)));
        watcher.watch(pollEvery);
        reloader = Optional.of(watcher);
        return watcher;
    }

    /** The admin listener, if this server has one. */
    Optional<AdminListener> admin() {
        return admin;
    }

    /**
     * The routes of the main listener; shared by {@link Main} and the tests. With client
     * authentication, the Protected Resource Metadata is served at the well-known path, both bare and
     * suffixed with the resource's path (RFC 9728 §3.1: clients look for the latter first).
     */
    static void routing(HttpRouting.Builder routing, ProxyAssembly assembly) {
        routing.addFilter(assembly.traffic)
                .addFilter(new CloseWhenAsked())
                .register("/mcp", assembly.mcpEndpoint)
                .register("/health", assembly.health)
                .register("/metrics", assembly.metricsEndpoint);
        assembly.protectedResource.ifPresent(resource -> {
            ProtectedResourceMetadataEndpoint metadata = new ProtectedResourceMetadataEndpoint(resource);
            java.util.Set<String> paths = new java.util.LinkedHashSet<>(java.util.List.of(ProtectedResource.WELL_KNOWN,
                    ProtectedResource.WELL_KNOWN + "/mcp", resource.metadataUrl().getPath()));
            paths.forEach(path -> routing.get(path, metadata));
        });
    }

    private static void purge(ProxyAssembly assembly, java.time.Duration sessionTtl) {
        try {
            int purged = assembly.sessions.purgeExpired();
            int logs = assembly.eventLog.purgeExpired();
            if (purged > 0 || logs > 0) {
                // housekeeping, every 30 s: for debugging, not for operators (mcp_relay_sessions_active shows the sessions)
                LOG.log(System.Logger.Level.DEBUG, "expired {0} idle sessions and {1} replay logs", purged, logs);
            }
            java.util.List<String> forgotten = assembly.upstreams.forgetRetiredIdleFor(sessionTtl);
            if (!forgotten.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "retired upstreams {0} unused for {1}: forgotten", forgotten, sessionTtl);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "session expiry failed: {0}", e.getMessage());
        }
    }

    private static void probeEras(ProxyAssembly assembly) {
        try {
            assembly.eras.probeUnjudged();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "era probes at start failed: {0}", e.getMessage());
        }
    }

    private static void probe(ProxyAssembly assembly) {
        try {
            assembly.probes.probeAll();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "health probes failed: {0}", e.getMessage());
        }
    }

    /** The port actually listened on (useful with port 0). */
    public int port() {
        return server.port();
    }

    /** The main listener's client connections (for tests). */
    ClientConnections clients() {
        return clients;
    }

    /** The HTTP upstream client this server chose (for tests). */
    io.mcprelay.adapter.http.out.HttpUpstreamAdapter upstreamClient() {
        return assembly.upstreamClient.port();
    }

    /** The session store this server uses (for tests and, later, the admin API). */
    SessionStorePort sessions() {
        return assembly.sessions;
    }

    /** Every upstream's state (for tests and, later, the admin API). */
    java.util.List<io.mcprelay.application.port.out.UpstreamStatus> upstreamStatus() {
        return assembly.upstreams.status();
    }

    /** The interceptor chain: its rules and hit counts, and where a configuration reload puts new rules. */
    InterceptionService interception() {
        return assembly.interception;
    }

    /** The replay logs this server keeps (for tests and, later, the admin API). */
    EventLogPort eventLog() {
        return assembly.eventLog;
    }

    /**
     * Drains this server, then closes it (see {@link GracefulStop}): readiness fails and new sessions
     * are refused at once; requests in flight get up to {@code timeout} to finish (standalone GET
     * streams are not waited for); then this instance gives up its streams (its liveness mark
     * dropped, so that another instance takes each over as soon as its client resumes there) and
     * ends every stream still open cleanly, and everything closes. The bridges let go too: a round
     * of bridge (a) waiting for its client's answers ends with an error at once; bridge (b)'s parked
     * calls are cancelled and its pooled sessions ended upstream, side by side, within the wait for
     * the streams to end. Logs one line as it starts and one as it ends, with counts.
     */
    void drain(java.time.Duration timeout) {
        if (closed.get()) {
            return;
        }
        long began = System.nanoTime();
        io.mcprelay.adapter.http.in.Drain drain = assembly.drain;
        drain.begin();
        int atStart = drain.inFlight();
        int awaitedAtStart = drain.awaited();
        LOG.log(System.Logger.Level.INFO, "draining: readiness fails and new sessions are refused; {0} requests in flight ({1} to wait for,"
                + " {2} streams open); up to {3} for them to finish", atStart, awaitedAtStart, drain.openStreams(), Durations.format(timeout));
        // a bridged round waits on the client's person or model, longer than a drain: it ends now, with an error on its stream
        int roundsEnded = assembly.relay.endBridgeRounds();
        long deadline = began + timeout.toNanos();
        while (drain.awaited() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int unfinished = drain.awaited();
        // a JSON answer still being computed upstream cannot be resumed: its client gets a JSON-RPC error now
        // rather than a connection closed under it with nothing
        int cutAnswers = drain.cutPendingAnswers("Service Unavailable: this mcp-relay instance shut down before the upstream answered"
                + " (drain timeout " + Durations.format(timeout) + "); the upstream may have processed the request");
        // the pumps stop and their handlers return, so Helidon ends each response with its last chunk
        int handedOver = assembly.streams.handOverAll();
        assembly.releaseStreams();
        long endsBy = System.nanoTime() + STREAM_END_WAIT.toNanos();
        // what bridge (b) holds upstream is ended (cancel, DELETE) while the handed-over streams end, in the same wait
        int bridgeEndings = assembly.relay.endBridgeUpstreams(STREAM_END_WAIT);
        while (drain.openStreams() > 0 && System.nanoTime() < endsBy) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int cut = drain.endStreams();
        LOG.log(System.Logger.Level.INFO, "drained in {0} ms: {1} of the requests waited for still running at the deadline ({4} JSON"
                        + " answers given a JSON-RPC error), {2} streams handed over for their clients to resume elsewhere{3}{5}; stopping",
                java.time.Duration.ofNanos(System.nanoTime() - began).toMillis(), unfinished, handedOver,
                cut > 0 ? ", " + cut + " other streams ended" : "", cutAnswers,
                roundsEnded + bridgeEndings > 0 ? ", bridges: " + roundsEnded + " rounds waiting for clients ended, " + bridgeEndings
                        + " upstream calls and sessions ended" : "");
        close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        reloader.ifPresent(ConfigReloader::close);
        housekeeping.shutdownNow();
        admin.ifPresent(a -> a.server().stop());
        server.stop();
        clients.close();
        adminClients.close();
        assembly.close();
        stopped.countDown();
    }

    /**
     * Blocks until {@link #close} has run. The process's main thread waits here, so that the relay lives
     * as long as it is not closed: otherwise the JVM would end (with status 0) as soon as the last
     * listener thread ended, as a listener that dies does, before the listener check could end the
     * process with a failure.
     */
    public void awaitClosed() throws InterruptedException {
        stopped.await();
    }
}
