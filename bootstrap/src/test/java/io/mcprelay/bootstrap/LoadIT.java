package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay under load, in process, in front of a fast stub upstream: {@value #CLIENTS} concurrent
 * clients, each with its own session, make {@value #CALLS} echo calls each with a payload no other
 * call carries, and every answer must be the answer to that very call, through that client's own
 * upstream session (no cross-talk), with no error of any kind. While that traffic flows,
 * {@value #RESUMERS} further clients each drop an event stream part-way and resume it with
 * {@code Last-Event-ID}: each must get exactly the events it missed, in order, once.
 *
 * <p>The relay runs with its defaults (64 upstream places) but for three timings: the upstream read
 * timeout is shortened, so that a stuck call fails the test in seconds rather than in five minutes,
 * and the queue wait and health probe are patient, so that a loaded machine cannot turn slowness into
 * errors.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoadIT {

    private static final int CLIENTS = 1_000;
    private static final int CALLS = 20;
    private static final int RESUMERS = 10;
    private static final int STREAM_EVENTS = 30;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern TOOL = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TEXT = Pattern.compile("\"text\"\\s*:\\s*\"([^\"]*)\"");

    private final ExecutorService httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(httpExecutor).build();
    private final AtomicInteger upstreamSessions = new AtomicInteger();
    /** Errors by kind ("HTTP 503", "HttpTimeoutException", "another call's answer", ...). */
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder completedCalls = new LongAdder();
    private final Queue<Long> callsWhenResumed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger openRequests = new AtomicInteger();
    private final AtomicInteger peakOpenRequests = new AtomicInteger();
    private StubUpstream upstream;
    private McpRelayServer relay;

    @BeforeEach
    void start() {
        upstream = StubUpstream.start(this::answer);
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("fast", upstream.endpoint()));
        // The test is about answers reaching the right client, not about speed: on a loaded machine (CI runs
        // beside other builds) a 2 s health probe of the busy stub can time out twice and a request can wait
        // more than 5 s for an upstream place, and either would be a 503 that says nothing about cross-talk.
        UpstreamOptions defaults = options.upstreamPolicies();
        UpstreamOptions patient = new UpstreamOptions(defaults.strategy(), defaults.weights(),
                new HealthCheckPolicy(HealthCheckPolicy.DEFAULT_INTERVAL, HealthCheckPolicy.DEFAULT_INTERVAL, 5, 1), defaults.breaker(),
                defaults.maxConcurrent(), Duration.ofSeconds(60), defaults.disabled(), defaults.client(), defaults.headTimeout(),
                defaults.maxJsonBytes(), defaults.stdioMaxProcesses(), defaults.stdioStartTimeout());
        relay = McpRelayServer.start(new RelayOptions(options.upstreams(), options.bind(), 0, options.maxBodyBytes(), options.sessionTtl(),
                options.maxSessions(), List.of(), List.of(), false, options.upstreamConnectTimeout(), Duration.ofSeconds(20),
                options.streams(), options.replayLog(), patient, options.store(), options.admin()));
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        upstream.close();
        http.close();
        httpExecutor.close();
    }

    @Test
    void aThousandClientsGetOnlyTheirOwnAnswersWhileTenDroppedStreamsResumeExactly() throws Exception {
        Set<String> upstreamSessionsSeen = ConcurrentHashMap.newKeySet();
        CountDownLatch loadUnderWay = new CountDownLatch(CLIENTS * CALLS / 10);
        long started = System.nanoTime();
        List<Future<List<String>>> resumptions = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.submit(() -> runClient(client, upstreamSessionsSeen, loadUnderWay));
            }
            assertThat(loadUnderWay.await(60, TimeUnit.SECONDS)).as("a tenth of the calls done").isTrue();
            for (int r = 0; r < RESUMERS; r++) {
                int dropAfter = 2 + r;
                resumptions.add(clients.submit(() -> dropAndResume(dropAfter)));
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(errors).as("errors by kind").isEmpty();
        assertThat(completedCalls.sum()).isEqualTo((long) CLIENTS * CALLS);
        assertThat(upstreamSessionsSeen).as("one upstream session per client").hasSize(CLIENTS);
        assertThat(peakOpenRequests).as("requests open at once at the peak: the clients were concurrent").hasValueGreaterThan(CLIENTS / 2);
        for (Future<List<String>> resumption : resumptions) {
            assertThat(resumption.get()).as("a resumption's problems").isEmpty();
        }
        assertThat(callsWhenResumed).as("calls done when each resumption had all its events: the load was still under way")
                .hasSize(RESUMERS).allSatisfy(done -> assertThat(done).isLessThan((long) CLIENTS * CALLS));
        assertThat(relay.sessions().count()).isEqualTo(CLIENTS + RESUMERS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(inFlight()).as("exchanges still in flight to the upstream").isZero();
        System.out.printf("load: %d clients x %d calls and %d resumptions in %d ms, at most %d requests open at once%n",
                CLIENTS, CALLS, RESUMERS, took.toMillis(), peakOpenRequests.get());
    }

    /** One client: its own session, then {@value #CALLS} echo calls, each checked to be its own answer. */
    private void runClient(int client, Set<String> upstreamSessionsSeen, CountDownLatch loadUnderWay) {
        try {
            HttpResponse<String> init = post(null, initialize("load-" + client));
            if (init.statusCode() != 200 || init.headers().firstValue("Mcp-Session-Id").isEmpty()) {
                error("initialize: HTTP " + init.statusCode());
                return;
            }
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            HttpResponse<String> initialized = post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            if (initialized.statusCode() != 202) {
                error("notifications/initialized: HTTP " + initialized.statusCode());
                return;
            }
            String ownUpstreamSession = null;
            for (int call = 0; call < CALLS; call++) {
                int id = 100 + call;
                String payload = "client-" + client + "-call-" + call + "-" + UUID.randomUUID();
                HttpResponse<String> answer = post(session, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":"
                        + "{\"name\":\"echo\",\"arguments\":{\"text\":\"" + payload + "\"}}}");
                completedCalls.increment();
                loadUnderWay.countDown();
                if (answer.statusCode() != 200) {
                    error("HTTP " + answer.statusCode());
                    continue;
                }
                Matcher answered = ID.matcher(answer.body());
                Matcher text = TEXT.matcher(answer.body());
                if (!answered.find() || Integer.parseInt(answered.group(1)) != id || !text.find()) {
                    error("an answer without this call's id");
                    continue;
                }
                String[] echoed = text.group(1).split("\\|", 2);
                if (!echoed[1].equals(payload)) {
                    error("another call's answer");
                    continue;
                }
                if (ownUpstreamSession == null) {
                    ownUpstreamSession = echoed[0];
                    upstreamSessionsSeen.add(ownUpstreamSession);
                } else if (!ownUpstreamSession.equals(echoed[0])) {
                    error("relayed through another session's upstream session");
                }
            }
        } catch (Exception e) {
            error(e.getClass().getSimpleName());
        }
    }

    /**
     * A client of its own session that reads {@code dropAfter} events of a {@value #STREAM_EVENTS}-event
     * stream, drops the connection and resumes with the last id it saw. Returns what went wrong (empty
     * when the events before and after the drop are exactly the stream, in order, each once).
     */
    private List<String> dropAndResume(int dropAfter) throws Exception {
        List<String> problems = new ArrayList<>();
        HttpResponse<String> init = post(null, initialize("resumer-" + dropAfter));
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"countdown\",\"arguments\":{}}}";
        List<SseTestClient.Event> events = new ArrayList<>();
        try (SseTestClient stream = SseTestClient.post(http, mcp(), session, call)) {
            for (int i = 0; i < dropAfter; i++) {
                events.add(stream.next().orElseThrow());
            }
        }
        try (SseTestClient resumed = SseTestClient.get(http, mcp(), session, Map.of("Last-Event-ID", events.getLast().id().orElseThrow()))) {
            if (resumed.status() != 200) {
                problems.add("resume: HTTP " + resumed.status() + " " + resumed.rest());
                return problems;
            }
            events.addAll(resumed.drain());
        }
        callsWhenResumed.add(completedCalls.sum());
        List<Integer> progress = SseTestClient.progressOf(events);
        List<Integer> expected = IntStream.rangeClosed(1, STREAM_EVENTS).boxed().toList();
        if (!progress.equals(expected)) {
            problems.add("dropped after " + dropAfter + ": progress " + progress);
        }
        if (events.size() != STREAM_EVENTS + 1 || !events.getLast().data().contains("\"id\":7,\"result\"")) {
            problems.add("dropped after " + dropAfter + ": " + events.size() + " events, the last " + events.getLast().data());
        }
        problems.addAll(SseTestClient.gapsInIds(events));
        return problems;
    }

    private int inFlight() {
        return relay.upstreamStatus().stream().mapToInt(UpstreamStatus::inFlight).sum();
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    // ---- the upstream ------------------------------------------------------------------------

    /**
     * A fast MCP upstream: initialize mints a distinct upstream session; {@code echo} answers JSON
     * with the upstream session it was called in and the text it was sent; {@code countdown} answers
     * with an event stream of {@value #STREAM_EVENTS} progress events 10 ms apart, then the result.
     */
    private void answer(StubUpstream.Recorded req, ServerResponse res) throws Exception {
        String body = req.body();
        String id = MiniMcpUpstream.find(ID, body);
        if (body.contains("\"initialize\"")) {
            res.header(HeaderNames.create("Mcp-Session-Id"), "up-" + upstreamSessions.incrementAndGet());
            json(res, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}}}}");
            return;
        }
        if (id == null || !body.contains("\"tools/call\"")) {
            res.status(202).send();
            return;
        }
        if ("countdown".equals(MiniMcpUpstream.find(TOOL, body))) {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                for (int i = 1; i <= STREAM_EVENTS; i++) {
                    StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":"
                            + "{\"progressToken\":\"t\",\"progress\":" + i + "}}\n\n");
                    Thread.sleep(10);
                }
                StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[]}}\n\n");
            }
            return;
        }
        json(res, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""
                + req.header("mcp-session-id") + "|" + MiniMcpUpstream.find(TEXT, body) + "\"}]}}");
    }

    private static void json(ServerResponse res, String body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }

    // ---- the clients' HTTP ---------------------------------------------------------------------

    private static String initialize(String name) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"" + name + "\",\"version\":\"1\"}}}";
    }

    private HttpResponse<String> post(String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp()).timeout(CALL_TIMEOUT)
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
            request.header("MCP-Protocol-Version", "2025-06-18");
        }
        peakOpenRequests.accumulateAndGet(openRequests.incrementAndGet(), Math::max);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } finally {
            openRequests.decrementAndGet();
        }
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }
}
