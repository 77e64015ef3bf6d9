package io.mcprelay.adapter.http.metrics;

import io.mcprelay.application.port.in.UpstreamStatusQuery;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.domain.stream.StreamKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mcprelay.domain.era.ProtocolEra;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's metrics in a Micrometer {@link PrometheusMeterRegistry} that this adapter owns.
 * Prometheus names and labels:
 * <ul>
 *   <li>{@code mcp_relay_streams_opened_total{kind}} and {@code mcp_relay_streams_open{kind}} (opened
 *       minus closed), {@code kind} being {@code post_response} or {@code standalone};</li>
 *   <li>{@code mcp_relay_events_relayed_total}, {@code mcp_relay_events_replayed_total};</li>
 *   <li>{@code mcp_relay_first_event_seconds} (histogram);</li>
 *   <li>{@code mcp_relay_messages_total{rpc_method,outcome,fault,era}} ({@code era}: {@code legacy} or {@code modern}) and {@code mcp_relay_message_seconds{rpc_method}}
 *       (histogram), per POSTed body, from {@link #requestCompleted(String, String, Duration)}; {@code outcome}
 *       is {@code ok}, {@code unanswered}, {@code upstream_refused}, {@code upstream_error} or a
 *       rejection reason in lower case, and {@code fault} whose it is: {@code none}, {@code client},
 *       {@code upstream} or {@code relay} ({@link Fault});</li>
 *   <li>{@code mcp_relay_store_seconds{operation}} (histogram) and {@code mcp_relay_store_failures_total{operation}},
 *       per session store operation;</li>
 *   <li>{@code mcp_relay_requests_total{http_method,rpc_method,status}} and
 *       {@code mcp_relay_request_seconds{http_method}} (histogram), from {@link #requestCompleted};</li>
 *   <li>per upstream, once {@link #bindUpstreams} is called: {@code mcp_relay_upstream_health{upstream,state}},
 *       {@code mcp_relay_upstream_circuit_open{upstream}}, {@code mcp_relay_upstream_in_flight{upstream}};</li>
 *   <li>per upstream exchange, from {@link #upstreamExchange}: {@code mcp_relay_upstream_requests_total{upstream,outcome}},
 *       {@code mcp_relay_upstream_errors_total{upstream,kind}} (upstream faults only) and
 *       {@code mcp_relay_upstream_request_seconds{upstream}} (histogram, to the answer's head);</li>
 *   <li>{@code mcp_relay_sessions_active}, {@code mcp_relay_draining}, {@code mcp_relay_requests_in_flight},
 *       {@code mcp_relay_client_connections_open} and {@code mcp_relay_client_connections_total{event}}
 *       (refused, evicted, timed_out), read at each scrape from what {@link #bindGauges} names;</li>
 *   <li>{@code mcp_relay_config_reloads_total{result}} ({@code ok}, {@code failed});</li>
 *   <li>Micrometer's JVM memory, thread, GC, CPU and uptime meters ({@code jvm_*}, {@code process_*}, {@code system_*}),
 *       once {@link #bindJvmMeters()} has run, at the latest at the first {@link #scrape()}.</li>
 * </ul>
 * Labels are bounded: methods outside the MCP specification, and unknown outcomes and operations,
 * count as {@code "other"}. {@link #live()} keeps the last ten minutes of messages per second for an
 * overview.
 * Thread-safe; recording never blocks. {@link #close()} releases the GC listeners and the registry.
 */
public final class MicrometerMetricsAdapter implements RelayMetricsPort, AutoCloseable {

    /** Buckets for the time to first event: 10 ms to 30 s. */
    private static final Duration[] FIRST_EVENT_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
    /** Buckets for request latency: 5 ms to 30 s (long-lived streams land in +Inf). */
    private static final Duration[] REQUEST_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
    /** Buckets for session store operations: 0.5 ms to 2.5 s. */
    private static final Duration[] STORE_BUCKETS = seconds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<StreamKind, Counter> opened = new EnumMap<>(StreamKind.class);
    private final Map<StreamKind, AtomicInteger> open = new EnumMap<>(StreamKind.class);
    private final Counter relayed;
    private final Counter replayed;
    private final Timer firstEvent;
    private final JvmMeters jvmMeters = new JvmMeters(registry);
    private final UpstreamGauges upstreams;
    private final ProcessMeters processes;
    private final BridgeMeters bridge;
    private final LiveStats live;
    /*
     * Meters with labels, by their label values, registered on first use: Micrometer's builder and
     * register() build and hash a meter id on every call, which showed in the JSON path's profile.
     * The label values are bounded (see the class comment), so these maps are too.
     */
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
    private final UpstreamExchangeMeters exchanges = new UpstreamExchangeMeters(registry, REQUEST_BUCKETS);

    /** Creates the registry with the relay's meters; the JVM's follow with {@link #bindJvmMeters()}. */
    public MicrometerMetricsAdapter() {
        this(new LiveStats());
    }

    /**
     * {@code mcp_relay_build_info{version="..."} 1}: the Prometheus way to tell which build each
     * instance runs (a constant gauge whose label carries the information).
     */
    public void registerBuildInfo(String version) {
        Gauge.builder("mcp.relay.build.info", () -> 1)
                .description("mcp-relay's build; the value is always 1")
                .tag("version", version)
                .register(registry);
    }

    /** As {@link #MicrometerMetricsAdapter()}, keeping live numbers in {@code live}. */
    MicrometerMetricsAdapter(LiveStats live) {
        this.live = live;
        for (StreamKind kind : StreamKind.values()) {
            String label = kind.name().toLowerCase(Locale.ROOT);
            opened.put(kind, Counter.builder("mcp.relay.streams.opened")
                    .description("Streams opened towards clients")
                    .tag("kind", label)
                    .register(registry));
            AtomicInteger gauge = new AtomicInteger();
            open.put(kind, gauge);
            Gauge.builder("mcp.relay.streams.open", gauge, AtomicInteger::get)
                    .description("Streams open towards clients now")
                    .tag("kind", label)
                    .strongReference(true)
                    .register(registry);
        }
        relayed = Counter.builder("mcp.relay.events.relayed")
                .description("Upstream events relayed (logged, and written if the client was there)")
                .register(registry);
        replayed = Counter.builder("mcp.relay.events.replayed")
                .description("Logged events replayed to resuming clients")
                .register(registry);
        firstEvent = Timer.builder("mcp.relay.first.event")
                .description("Time from the upstream request to a stream's first relayed event")
                .serviceLevelObjectives(FIRST_EVENT_BUCKETS)
                .register(registry);
        upstreams = new UpstreamGauges(registry);
        processes = new ProcessMeters(registry);
        bridge = new BridgeMeters(registry);
    }

    /**
     * Binds Micrometer's JVM memory, thread, GC, CPU and uptime meters, once; later calls, and calls
     * after {@link #close()}, do nothing. A call while another is binding waits for it. They are not
     * bound in the constructor because binding them (the JVM's management beans, GC listeners) took
     * some 4 % of the relay's start-up CPU time: the relay binds them in the background once it listens,
     * and {@link #scrape()} binds them first if that has not happened yet, so every scrape has them.
     */
    public void bindJvmMeters() {
        jvmMeters.bind();
    }

    @Override
    public void streamOpened(StreamKind kind) {
        opened.get(kind).increment();
        open.get(kind).incrementAndGet();
    }

    @Override
    public void streamClosed(StreamKind kind) {
        open.get(kind).decrementAndGet();
    }

    @Override
    public void eventRelayed() {
        relayed.increment();
    }

    @Override
    public void eventReplayed() {
        replayed.increment();
    }

    @Override
    public void firstEvent(Duration sinceRequest) {
        firstEvent.record(sinceRequest);
    }

    @Override
    public void requestCompleted(String rpcMethod, String outcome, Duration latency) {
        requestCompleted(rpcMethod, outcome, latency, ProtocolEra.LEGACY);
    }

    @Override
    public void requestCompleted(String rpcMethod, String outcome, Duration latency, ProtocolEra era) {
        String method = RpcMethodLabel.relayedMethod(rpcMethod);
        String result = RpcMethodLabel.outcome(outcome);
        String fault = Fault.of(result);
        String eraLabel = era.label();
        counters.computeIfAbsent(List.of("messages", method, result, eraLabel), key -> Counter.builder("mcp.relay.messages")
                .description("POSTed bodies answered, by method, outcome, whose fault a failure was, and protocol era")
                .tag("rpc_method", method)
                .tag("outcome", result)
                .tag("fault", fault)
                .tag("era", eraLabel)
                .register(registry)).increment();
        timers.computeIfAbsent(List.of("message", method), key -> Timer.builder("mcp.relay.message")
                .description("Time to answer a POSTed body (for an event stream: until it ended)")
                .tag("rpc_method", method)
                .serviceLevelObjectives(REQUEST_BUCKETS)
                .register(registry)).record(latency);
        live.record(!"ok".equals(result), latency);
    }

    @Override
    public void storeOperation(String operation, Duration latency, boolean failed) {
        String label = RpcMethodLabel.storeOperation(operation);
        timers.computeIfAbsent(List.of("store", label), key -> Timer.builder("mcp.relay.store")
                .description("Session store operation latency")
                .tag("operation", label)
                .serviceLevelObjectives(STORE_BUCKETS)
                .register(registry)).record(latency);
        // registered on first use, failed or not, so that the series exists at zero
        Counter failures = counters.computeIfAbsent(List.of("store.failures", label), key -> Counter.builder("mcp.relay.store.failures")
                .description("Session store operations that found the store unavailable")
                .tag("operation", label)
                .register(registry));
        if (failed) {
            failures.increment();
        }
    }

    /** The limit names and caller classes {@link #requestLimited} labels by; anything else counts as {@code other}. */
    private static final java.util.Set<String> LIMITS = java.util.Set.of("per-principal", "per-tool", "global", "session-max-requests");
    private static final java.util.Set<String> CALLER_CLASSES = java.util.Set.of("session", "principal");

    /**
     * {@code mcp_relay_requests_limited_total{limit,caller}}: requests refused by a limit (429). Both
     * labels come from fixed sets (never a tool, session or principal name), so the series are bounded.
     */
    @Override
    public void requestLimited(String limit, String callerClass) {
        String limitLabel = LIMITS.contains(limit) ? limit : "other";
        String callerLabel = CALLER_CLASSES.contains(callerClass) ? callerClass : "other";
        counters.computeIfAbsent(List.of("limited", limitLabel, callerLabel), key -> Counter.builder("mcp.relay.requests.limited")
                .description("Requests refused by a rate or concurrency limit, by limit and caller class")
                .tag("limit", limitLabel)
                .tag("caller", callerLabel)
                .register(registry)).increment();
    }

    /** {@code mcp_relay_limit_store_failures_total{policy}}: rate limit checks the limit store could not answer. */
    @Override
    public void limitCheckFailed(String policy) {
        String label = "closed".equals(policy) ? "closed" : "open";
        counters.computeIfAbsent(List.of("limit.store.failures", label), key -> Counter.builder("mcp.relay.limit.store.failures")
                .description("Rate limit checks the limit store could not answer, by what the request got (open: let through)")
                .tag("policy", label)
                .register(registry)).increment();
    }

    /**
     * {@code mcp_relay_interceptor_hits_total{rule,action}}: rule names come from the configuration
     * (at most {@code RuleSet.MAX_RULES} of them), not from clients, so the label is bounded.
     */
    @Override
    public void interceptorRuleHit(String rule, String action) {
        Counter.builder("mcp.relay.interceptor.hits")
                .description("Messages an interception rule acted on, by rule and action")
                .tag("rule", rule)
                .tag("action", action)
                .register(registry)
                .increment();
    }

    /** {@code mcp_relay_interceptor_failures_total{interceptor}}: code interceptors that threw. */
    @Override
    public void interceptorFailed(String interceptor) {
        Counter.builder("mcp.relay.interceptor.failures")
                .description("Messages a code interceptor failed on (they went on unchanged)")
                .tag("interceptor", interceptor)
                .register(registry)
                .increment();
    }

    /** {@code mcp_relay_upstream_process_starts_total} and the processes-alive gauge (see {@link ProcessMeters}). */
    @Override
    public void upstreamProcessStarted(String upstream) {
        processes.started(upstream);
    }

    /** {@code mcp_relay_upstream_process_exits_total{upstream,cause}} (see {@link ProcessMeters}). */
    @Override
    public void upstreamProcessExited(String upstream, String cause) {
        processes.exited(upstream, cause);
    }

    /** The bridge's session and parking meters (see {@link BridgeMeters}). */
    @Override
    public void bridgeSessionOpened() {
        bridge.sessionOpened();
    }

    @Override
    public void bridgeSessionClosed(String why) {
        bridge.sessionClosed(why);
    }

    @Override
    public void bridgeCallParked() {
        bridge.callParked();
    }

    @Override
    public void bridgeCallUnparked(String outcome) {
        bridge.callUnparked(outcome);
    }

    /** The last ten minutes of answered messages, per second, for an overview. */
    /** Streams open towards clients right now, of every kind. */
    public int openStreams() {
        return open.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public LiveStats live() {
        return live;
    }

    /**
     * Records one downstream HTTP request once its response is complete (or its stream ended).
     *
     * @param httpMethod    the HTTP method; other than the standard ones it counts as {@code "other"}
     * @param jsonRpcMethod the JSON-RPC method, or {@code null} when the request carried none; names
     *                      the MCP specification does not define count as {@code "other"}
     * @param status        the HTTP status sent
     * @param latency       from the request's arrival to its completion
     */
    public void requestCompleted(String httpMethod, String jsonRpcMethod, int status, Duration latency) {
        String http = RpcMethodLabel.httpMethod(httpMethod);
        String rpc = RpcMethodLabel.rpcMethod(jsonRpcMethod);
        String code = Integer.toString(status);
        counters.computeIfAbsent(List.of("requests", http, rpc, code), key -> Counter.builder("mcp.relay.requests")
                .description("Downstream HTTP requests by method and status")
                .tag("http_method", http)
                .tag("rpc_method", rpc)
                .tag("status", code)
                .register(registry)).increment();
        timers.computeIfAbsent(List.of("request", http), key -> Timer.builder("mcp.relay.request")
                .description("Downstream HTTP request latency")
                .tag("http_method", http)
                .serviceLevelObjectives(REQUEST_BUCKETS)
                .register(registry)).record(latency);
    }

    /**
     * One exchange with an upstream ({@link MeteredUpstream}): its outcome and the time to its answer's head.
     *
     * @param outcome {@code ok}, {@code client_error}, or an upstream fault ({@code server_error},
     *                {@code unreachable}, {@code dropped}, {@code timeout}, {@code protocol}, {@code saturated})
     */
    public void upstreamExchange(String upstream, String outcome, Duration latency) {
        exchanges.record(upstream, outcome, latency);
    }

    /** A configuration reload was applied ({@code ok}) or refused ({@code failed}). */
    public void configReloaded(boolean ok) {
        String result = ok ? "ok" : "failed";
        counters.computeIfAbsent(List.of("config.reloads", result), key -> Counter.builder("mcp.relay.config.reloads")
                .description("Configuration reloads, applied (ok) or refused (failed)")
                .tag("result", result)
                .register(registry)).increment();
    }

    /**
     * Gauges read at each scrape from the running relay. Call once, at assembly.
     *
     * @param sessions active sessions (in a shared store: of every instance); a failure to read is reported as NaN
     */
    public void bindGauges(ListenerGauges listener, java.util.function.LongSupplier sessions) {
        ListenerMeters.bind(registry, listener, sessions);
    }

    /** What {@link #bindGauges} reads of the main listener. */
    public record ListenerGauges(java.util.function.BooleanSupplier draining, java.util.function.IntSupplier inFlight,
                                 java.util.function.IntSupplier openConnections, java.util.function.LongSupplier refused,
                                 java.util.function.LongSupplier evicted, java.util.function.LongSupplier timedOut) {
    }

    /**
     * Publishes per-upstream gauges read from {@code query} at each {@link #scrape()}. Call once, at
     * assembly; a later call replaces the query.
     */
    public void bindUpstreams(UpstreamStatusQuery query) {
        upstreams.readFrom(query);
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter, upstream gauges read now. */
    public String scrape() {
        bindJvmMeters();
        upstreams.refresh();
        return registry.scrape();
    }

    @Override
    public void close() {
        jvmMeters.close();
        registry.close();
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1_000_000_000L));
        }
        return durations;
    }
}
