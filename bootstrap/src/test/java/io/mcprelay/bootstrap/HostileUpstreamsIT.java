package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.out.UpstreamClientConfig;
import io.mcprelay.adapter.http.testing.RawUpstream;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProxySessionId;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hostile-upstream suite, end to end over real sockets: a session on an upstream that misbehaves
 * (dies, stalls, answers garbage, breaks the SSE framing, sends an event or a JSON body larger than
 * the limit or one that never ends, answers with the wrong content type, sends interim answers with
 * bodies, statuses that are none, control characters in headers or a head a byte at a time) gets a
 * defined status and
 * JSON-RPC error for that request and nothing else. After each fault the relay has let go of the
 * faulty upstream (no connection still open to it, nothing counted in flight), a session on a
 * healthy upstream of the same relay is unaffected, and nothing was logged with a stack trace or as
 * severe (a relay that failed with an exception would).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileUpstreamsIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final int MAX_EVENT_BYTES = UpstreamClientConfig.defaults().maxEventBytes();
    private static final int MAX_JSON_BYTES = UpstreamClientConfig.defaults().maxJsonBytes();
    private static final String PROGRESS =
            "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"t\",\"progress\":1}}\n\n";
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"faults\",\"version\":\"1\"}}}";
    private static final String UNUSABLE = "Bad Gateway: the upstream's answer is unusable (not valid HTTP, or over a size limit): ";
    private static final String ENDED = "Upstream error: the upstream ended the stream before answering\"";
    private static final String BROKE = "Upstream error: the upstream stream broke before answering: ";
    private static final String TOO_LARGE = "EventTooLargeException: an upstream event exceeds the limit of " + MAX_EVENT_BYTES + " bytes";
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
    private static final String JSON_HEAD = "Content-Type: application/json\r\n";
    /** A second answer after an interim one, with what must never reach the client. */
    private static final String FORGED = "HTTP/1.1 200 OK\r\nSet-Cookie: injected=1\r\nMcp-Session-Id: forged\r\n" + JSON_HEAD
            + "Content-Length: 45\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"x\":true}}";
    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<String> fault = new AtomicReference<>("none");
    /** Whether {@link #fault} also answers initialize requests (else only requests in a session). */
    private final AtomicBoolean faultyInitialize = new AtomicBoolean();
    private RawUpstream faulty;
    private StubUpstream healthy;
    private McpRelayServer relay;
    private String onFaulty;
    private String onHealthy;
    private final List<LogRecord> failures = new CopyOnWriteArrayList<>();
    private final Handler failureLog = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getThrown() != null || record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                failures.add(record);
            }
        }

        @Override
        public void flush() {
            // records are kept in memory as they come
        }

        @Override
        public void close() {
            // nothing held but the list
        }
    };

    @BeforeEach
    void start() throws Exception {
        Logger.getLogger("").addHandler(failureLog);
        faulty = RawUpstream.start(this::talk);
        healthy = MiniMcpUpstream.start();
        UpstreamOptions defaults = UpstreamOptions.defaults();
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("faulty", faulty.endpoint()))
                .withUpstreams(List.of(new UpstreamTarget("faulty", faulty.endpoint()), new UpstreamTarget("healthy", healthy.endpoint())),
                        new UpstreamOptions(SelectionStrategy.ROUND_ROBIN, Map.of(),
                                new HealthCheckPolicy(Duration.ofMinutes(10), Duration.ofSeconds(2), 2, 1),
                                new BreakerPolicy(100, Duration.ofSeconds(30), 1, 1), defaults.maxConcurrent(), defaults.queueTimeout(),
                                java.util.Set.of(), client(), HEAD_TIMEOUT, MAX_JSON_BYTES));
        // The read timeout is what ends the silent and stalled cases; 3 s keeps them quick while a
        // busy 2-core machine still delivers a prompt upstream's answer well within it.
        relay = McpRelayServer.start(new RelayOptions(options.upstreams(), options.bind(), 0, options.maxBodyBytes(), options.sessionTtl(),
                options.maxSessions(), List.of(), List.of(), false, Duration.ofSeconds(2), Duration.ofSeconds(3), options.streams(),
                options.replayLog(), options.upstreamPolicies(), options.store(), options.admin()));
        String first = initialize();
        String second = initialize();
        String firstUpstream = relay.sessions().find(new ProxySessionId(first)).orElseThrow().upstream();
        onFaulty = firstUpstream.equals("faulty") ? first : second;
        onHealthy = firstUpstream.equals("faulty") ? second : first;
    }

    /** The upstream client under test: the built-in one. */
    UpstreamOptions.Client client() {
        return UpstreamOptions.Client.SOCKET;
    }

    /**
     * Whether the words of a protocol failure's detail are the client's own and asserted as they are
     * (Helidon's parser words many of its refusals itself: then only the status and the message up
     * to the detail are).
     */
    boolean exactDetails() {
        return true;
    }

    /** {@code message}, or only its part before the detail when {@link #exactDetails()} is false. */
    private String expected(String message) {
        if (exactDetails()) {
            return message;
        }
        return message.startsWith(UNUSABLE) ? UNUSABLE : message.startsWith(BROKE) ? BROKE : message;
    }

    @AfterEach
    void stop() {
        relay.close();
        faulty.close();
        healthy.close();
        Logger.getLogger("").removeHandler(failureLog);
    }

    // ---- the upstream is gone, or fails before its answer ---------------------------------------

    @Test
    void connectionRefusedDropsTheSessionWith404SoTheClientReinitializes() throws Exception {
        faulty.close();

        assertSessionDropped(call(onFaulty));
    }

    @Test
    void anUpstreamThatForgotTheSessionGives404AndDropsIt() throws Exception {
        assertSessionDropped(callWith("404"));
    }

    @Test
    void aResetAfterTheRequestBeforeAnyAnswerGives502AndKeepsTheSession() throws Exception {
        // the upstream was reached and may have processed the request: not a lost session, and not sent again
        assertRefused("reset-unanswered", 502, "Bad Gateway: the upstream closed the connection without answering: ");
    }

    @Test
    void serverErrorBeforeHeadersGives502AndKeepsTheSession() throws Exception {
        assertRefused("503", 502, "Bad Gateway: the upstream answered HTTP 503\"");
    }

    @Test
    void aServerErrorWithABodyThatNeverEndsGives502AndTheUpstreamIsReleased() throws Exception {
        assertRefused("5xx-endless", 502, "Bad Gateway: the upstream answered HTTP 500\"");
    }

    @Test
    void anUpstreamThatNeverAnswersGives504AndKeepsTheSession() throws Exception {
        assertRefused("silent", 504, "Gateway Timeout: the upstream did not answer in time\"");
    }

    @Test
    void garbageInsteadOfHttpGives502() throws Exception {
        assertRefused("garbage", 502, UNUSABLE + "the upstream's answer does not start with an HTTP/1.x status line: "
                + "\\\"this is not HTTP at all\\\"\"");
    }

    @Test
    void headersThatNeverEndGive502AndTheUpstreamIsReleased() throws Exception {
        assertRefused("headers-endless", 502, UNUSABLE + "the upstream's response head is larger than 16384 bytes\"");
    }

    // ---- response heads that a lax reading would let through -----------------------------------

    @Test
    void anHttp10InterimAnswerWithABodyGives502AndNothingOfEitherAnswerReachesTheClient() throws Exception {
        assertNothingForged(assertRefused("http10-interim", 502, UNUSABLE
                + "the upstream sent an interim answer (100) over HTTP/1.0, which has none\""));
    }

    @Test
    void aSwitchOfProtocolsGives502AndNothingAfterItReachesTheClient() throws Exception {
        assertNothingForged(assertRefused("switching", 502, UNUSABLE
                + "the upstream switched protocols (101) though the relay asked for none\""));
    }

    @Test
    void anHttp11InterimAnswerIsSkippedAndItsFieldsDropped() throws Exception {
        if (client() == UpstreamOptions.Client.HELIDON) {
            // Helidon hands an interim answer over as the final one; the relay refuses it rather than leave the rest on the connection
            assertRefused("http11-interim", 502, UNUSABLE + "the upstream sent an interim answer (100), which this client does not skip\"");
            return;
        }
        HttpResponse<String> response = callWith("http11-interim");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":9,\"result\":{\"after\":\"interim\"}");
        assertThat(response.headers().map().toString()).doesNotContain("leaked");
        assertOnlyThatRequestWasAffected();
    }

    @Test
    void statusesThatAreNoHttpStatusGive502AndAreFinishedForTheBreaker() throws Exception {
        for (int i = 0; i < 3; i++) {
            // each exchange is finished (nothing left in flight, the breaker not stuck) and the next one is sent
            assertRefused("status-600", 502, UNUSABLE + "the upstream answered an invalid status code 600 (not 100..599)\"");
        }
        assertRefused("status-999", 502, UNUSABLE + "the upstream answered an invalid status code 999 (not 100..599)\"");
    }

    @Test
    void aBareCarriageReturnInAHeaderValueGives502() throws Exception {
        assertNothingForged(assertRefused("header-bare-cr", 502, UNUSABLE + "the upstream's header mcp-note holds a control character (0xd)\""));
    }

    @Test
    void aNulInAHeaderValueGives502() throws Exception {
        assertRefused("header-nul", 502, UNUSABLE + "the upstream's header mcp-note holds a control character (0x0)\"");
    }

    @Test
    void tooManyHeaderLinesGive502() throws Exception {
        assertRefused("header-count", 502, UNUSABLE + "the upstream's response head has more than 128 header fields\"");
    }

    @Test
    void aHeadTrickledAByteAtATimeGives504AtTheHeadDeadlineNotAfterHours() throws Exception {
        long started = System.nanoTime();

        assertRefused("head-trickle", 504, "Gateway Timeout: the upstream did not answer in time\"");

        // the trickle alone would take a minute, each byte well within the 3 s read timeout
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aTransferCodingTheRelayDidNotAskForGives502() throws Exception {
        assertRefused("te-gzip", 502, UNUSABLE + "the upstream used a transfer coding the relay did not ask for: \\\"gzip\\\"\"");
    }

    @Test
    void aChunkSizeTooLargeToBeRealGives502() throws Exception {
        assertRefused("chunk-overflow", 502, UNUSABLE + "the upstream sent a chunk size too large to be real\"");
    }

    @Test
    void conflictingContentLengthsGive502() throws Exception {
        assertRefused("cl-conflict", 502, UNUSABLE + "the upstream sent conflicting Content-Length values: \\\"5, 6\\\"\"");
    }

    @Test
    void bothContentLengthAndTransferEncodingGive502() throws Exception {
        assertRefused("cl-and-te", 502, UNUSABLE + "the upstream sent both Transfer-Encoding and Content-Length\"");
    }

    @Test
    void aJsonAnswerDeclaringMoreThanTheLimitGives502AtOnce() throws Exception {
        assertRefused("json-declares-huge", 502, UNUSABLE + "JSON answer larger than " + MAX_JSON_BYTES + " bytes\"");
    }

    // ---- JSON answers and other content types ------------------------------------------------

    @Test
    void aJsonBodyThatNeverEndsGives502NamingTheLimitAndTheUpstreamIsReleased() throws Exception {
        assertRefused("json-endless", 502, UNUSABLE + "JSON answer larger than " + MAX_JSON_BYTES + " bytes\"");
    }

    @Test
    void aJsonBodyThatStallsGives504AndKeepsTheSession() throws Exception {
        assertRefused("json-stalls", 504, "Gateway Timeout: the upstream did not answer in time\"");
    }

    @Test
    void aJsonBodyCutShortGives502AndKeepsTheSession() throws Exception {
        assertRefused("json-truncated", 502, UNUSABLE + "the upstream closed the connection before its answer was complete\"");
    }

    @Test
    void jsonContentTypeWithABodyThatIsNotJsonGives502() throws Exception {
        assertThat(assertRefused("json-not-json", 502, "Bad Gateway: the upstream's JSON answer is not JSON-RPC: ")).doesNotContain("<html>");
    }

    @Test
    void htmlInsteadOfJsonGives502() throws Exception {
        assertThat(assertRefused("html", 502, "Bad Gateway: the upstream answered a request with Content-Type text/html, "
                + "neither application/json nor text/event-stream\"")).doesNotContain("<html>");
    }

    @Test
    void aBodyWithoutContentTypeGives502() throws Exception {
        assertRefused("no-content-type", 502, "Bad Gateway: the upstream answered a request with no Content-Type, "
                + "neither application/json nor text/event-stream\"");
    }

    // ---- event streams -----------------------------------------------------------------------

    @Test
    void slowDribbleArrivesWhole() throws Exception {
        HttpResponse<String> response = callWith("dribble");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":9,\"result\":{\"dribbled\":true}");
        assertOnlyThatRequestWasAffected();
    }

    @Test
    void resetInTheMiddleOfAStreamEndsItWithAJsonRpcErrorForTheRequest() throws Exception {
        assertThat(assertStreamEndsWithError("reset", BROKE)).contains("\"progress\":1");
    }

    @Test
    void anEventStreamWithoutSseFieldsEndsTheRequestWithAnError() throws Exception {
        assertThat(assertStreamEndsWithError("sse-no-fields", ENDED)).doesNotContain("not an event stream");
    }

    @Test
    void anEventCutOffByTheEndOfTheStreamIsDiscardedAndTheRequestEndsWithAnError() throws Exception {
        // the answer lacks its blank line, so it is no event (as the SSE format requires) and is never relayed
        assertThat(assertStreamEndsWithError("sse-unterminated", ENDED)).contains("\"progress\":1").doesNotContain("\"cut\":true");
    }

    @Test
    void aStreamThatEndsWithItsConnectionBeforeAnsweringEndsTheRequestWithAnError() throws Exception {
        // no Content-Length, no chunks: the close is the stream's proper end, so it "ended", not "broke"
        assertThat(assertStreamEndsWithError("sse-close-delimited", ENDED)).contains("\"progress\":1");
    }

    @Test
    void aBrokenChunkInAnEventStreamEndsTheRequestWithAnError() throws Exception {
        assertThat(assertStreamEndsWithError("sse-bad-chunk", BROKE
                + "the upstream sent a chunk size that is not a hexadecimal number: \\\"zz\\\"\""))
                .contains("\"progress\":1");
    }

    @Test
    void anEventLargerThanTheLimitEndsTheRequestWithAnErrorNamingTheLimit() throws Exception {
        assertThat(assertStreamEndsWithError("sse-huge-event", BROKE + TOO_LARGE)).contains("\"progress\":1").hasSizeLessThan(4096);
    }

    @Test
    void anEventLineThatNeverEndsIsCutAtTheLimitAndTheUpstreamReleased() throws Exception {
        assertThat(assertStreamEndsWithError("sse-endless-line", BROKE + TOO_LARGE)).hasSizeLessThan(4096);
    }

    @Test
    void aCommentLineThatNeverEndsIsCutAtTheLimitToo() throws Exception {
        assertThat(assertStreamEndsWithError("sse-endless-comment", BROKE + TOO_LARGE)).contains("\"progress\":1").hasSizeLessThan(4096);
    }

    @Test
    void anEventStreamThatFallsSilentEndsTheRequestWithAnErrorAfterTheReadTimeout() throws Exception {
        assertThat(assertStreamEndsWithError("sse-silent", BROKE + "SocketTimeoutException: Read timed out\"")).contains("\"progress\":1");
    }

    @Test
    void aStandaloneStreamWithAnEndlessEventLineEndsAndTheUpstreamIsReleased() throws Exception {
        fault.set("sse-endless-line");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .timeout(Duration.ofSeconds(20)).header("Accept", "text/event-stream").header("Mcp-Session-Id", onFaulty).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        // a standalone stream answers no request, so there is nothing to answer with an error: it ends, without any event
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("data:").hasSizeLessThan(1024);
        assertOnlyThatRequestWasAffected();
    }

    // ---- initialize --------------------------------------------------------------------------

    @Test
    void anInitializeAnsweredWithAPageGives502AndOpensNoSession() throws Exception {
        faultyInitialize.set(true);
        fault.set("html");

        HttpResponse<String> refused = initializeOnFaulty();

        assertThat(refused.body()).doesNotContain("<html>").contains("\"id\":1,\"error\":{\"code\":-32603,\"message\":\"Bad Gateway: "
                + "the upstream answered a request with Content-Type text/html, neither application/json nor text/event-stream\"");
        assertOnlyThatRequestWasAffected();
    }

    @Test
    void anInitializeAnsweredWithAnEndlessEventLineGives502NamingTheLimitAndOpensNoSession() throws Exception {
        faultyInitialize.set(true);
        fault.set("sse-endless-line");

        HttpResponse<String> refused = initializeOnFaulty();

        assertThat(refused.body()).contains("\"id\":1,\"error\":{\"code\":-32603,\"message\":\"Bad Gateway: the upstream's event stream "
                + "broke before the initialize result: " + TOO_LARGE);
        assertOnlyThatRequestWasAffected();
    }

    // ---- checks ------------------------------------------------------------------------------

    private HttpResponse<String> callWith(String behaviour) throws Exception {
        fault.set(behaviour);
        return call(onFaulty);
    }

    /**
     * The request met with {@code behaviour} gets {@code status} and a JSON-RPC error for its id whose
     * message starts with {@code message}; its session is kept. Returns the body.
     */
    private String assertRefused(String behaviour, int status, String message) throws Exception {
        HttpResponse<String> response = callWith(behaviour);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("\"id\":9,\"error\":{\"code\":-32603,\"message\":\"" + expected(message));
        assertThat(relay.sessions().find(new ProxySessionId(onFaulty))).as("the session is kept").isPresent();
        assertOnlyThatRequestWasAffected();
        return response.body();
    }

    /**
     * The request met with {@code behaviour} gets its event stream (200), which ends with an error
     * event for its id whose message starts with {@code message}. Returns the body.
     */
    private String assertStreamEndsWithError(String behaviour, String message) throws Exception {
        HttpResponse<String> response = callWith(behaviour);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(response.body()).contains("\"id\":9,\"error\":{\"code\":-32603,\"message\":\"" + expected(message));
        assertOnlyThatRequestWasAffected();
        return response.body();
    }

    /** Nothing of a refused answer (or of one smuggled after it) reached the client. */
    private static void assertNothingForged(String body) {
        assertThat(body).doesNotContain("\"x\":true").doesNotContain("injected").doesNotContain("forged");
    }

    /** A session the upstream no longer has (or cannot have) is removed, and its client told 404 to re-initialize. */
    private void assertSessionDropped(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":{\"code\":-32001,\"message\":\"Session not found: the upstream ended it; "
                + "initialize a new session\"");
        assertThat(relay.sessions().find(new ProxySessionId(onFaulty))).isEmpty();
        assertOnlyThatRequestWasAffected();
    }

    /**
     * Nothing but the faulty request was affected: the relay let go of the faulty upstream, logged no
     * stack trace, and still serves the session on the healthy upstream.
     */
    private void assertOnlyThatRequestWasAffected() throws Exception {
        assertRelayLetGo();
        assertHealthySessionUnaffected();
    }

    /**
     * Two initializes, which the round robin sends one to each upstream: the healthy one opens a
     * session, the faulty one must be refused with 502 and open none. Returns the refused answer.
     */
    private HttpResponse<String> initializeOnFaulty() throws Exception {
        long sessionsBefore = relay.sessions().count();
        List<HttpResponse<String>> answers = List.of(post(null, INITIALIZE), post(null, INITIALIZE));

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 502);
        assertThat(relay.sessions().count()).isEqualTo(sessionsBefore + 1);
        HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 502).findFirst().orElseThrow();
        assertThat(refused.headers().firstValue("Mcp-Session-Id")).isEmpty();
        return refused;
    }

    /**
     * The relay holds nothing of the faulty upstream any more: every connection it opened to it is
     * closed (a conversation that writes without end finishes only then) and nothing is in flight.
     */
    private void assertRelayLetGo() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((faulty.openConnections() > 0 || faultyInFlight() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(faulty.openConnections()).as("connections still open to the faulty upstream").isZero();
        assertThat(faultyInFlight()).as("exchanges in flight to the faulty upstream").isZero();
    }

    private int faultyInFlight() {
        return relay.upstreamStatus().stream().filter(u -> u.name().equals("faulty")).mapToInt(UpstreamStatus::inFlight).sum();
    }

    private void assertHealthySessionUnaffected() throws Exception {
        assertThat(failures).extracting(r -> r.getLevel() + " " + r.getMessage() + " " + r.getThrown())
                .as("log records with a stack trace or severe").isEmpty();
        HttpResponse<String> response = call(onHealthy);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":9,\"result\"");
        assertThat(relay.sessions().list(SessionQuery.firstPage(10)).sessions()).extracting(s -> s.id().value()).contains(onHealthy);
    }

    /**
     * A raw HTTP/1.1 MCP upstream, one request per connection, misbehaving as {@link #fault} says in
     * answer to requests and standalone GETs of a session (and to initialize when {@link #faultyInitialize}).
     */
    private void talk(Socket socket) throws Exception {
        RawUpstream.Request request = RawUpstream.readRequest(socket);
        String body = request.body();
        Matcher id = ID.matcher(body);
        String requestId = id.find() ? id.group(1) : null;
        boolean standaloneStream = request.method().equals("GET") && request.head().toLowerCase(Locale.ROOT).contains("\r\nmcp-session-id:");
        if (body.contains("\"initialize\"") && !faultyInitialize.get()) {
            respond(socket, "200 OK", "application/json", "Mcp-Session-Id: up-raw\r\n",
                    "{\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}");
            return;
        }
        if (requestId == null && !standaloneStream) {
            respond(socket, "202 Accepted", null, "", "");
            return;
        }
        switch (fault.get()) {
            case "503" -> respond(socket, "503 Service Unavailable", "text/plain", "", "overloaded");
            case "404" -> respond(socket, "404 Not Found", "application/json", "",
                    "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
            case "garbage" -> RawUpstream.write(socket, "this is not HTTP at all\r\n\r\n");
            case "silent" -> RawUpstream.awaitClientClose(socket);
            case "reset-unanswered" -> socket.setSoLinger(true, 0);
            case "reset" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + PROGRESS);
                socket.setSoLinger(true, 0);
            }
            case "dribble" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
                String event = "data: {\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{\"dribbled\":true}}\n\n";
                for (int i = 0; i < event.length(); i += 8) {
                    RawUpstream.write(socket, event.substring(i, Math.min(event.length(), i + 8)));
                    Thread.sleep(100);
                }
            }
            case "sse-no-fields" -> RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk("this is not an event stream\n{\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{}}\n\n") + "0\r\n\r\n");
            case "sse-close-delimited" -> RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                    + PROGRESS);
            case "sse-unterminated" -> RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk(PROGRESS + "data: {\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{\"cut\":true}}\n") + "0\r\n\r\n");
            case "sse-bad-chunk" -> RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk(PROGRESS) + "zz\r\nnot a chunk\r\n");
            case "sse-huge-event" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + PROGRESS);
                String line = "data: " + "x".repeat(64 * 1024 - 7) + "\n";
                for (int written = 0; written <= MAX_EVENT_BYTES; written += line.length()) {
                    RawUpstream.write(socket, line);
                }
                RawUpstream.write(socket, "\n");
                RawUpstream.awaitClientClose(socket);
            }
            case "sse-endless-comment" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + PROGRESS + ": ");
                writeUntilRefused(socket, "c".repeat(64 * 1024));
            }
            case "sse-silent" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + PROGRESS);
                RawUpstream.awaitClientClose(socket);
            }
            case "sse-endless-line" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata: ");
                writeUntilRefused(socket, "y".repeat(64 * 1024));
            }
            case "json-endless" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + chunk("{\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{\"endless\":\""));
                writeUntilRefused(socket, chunk("z".repeat(64 * 1024)));
            }
            case "json-stalls" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                        + "{\"jsonrpc\":\"2.0\",\"id\":" + requestId);
                RawUpstream.awaitClientClose(socket);
            }
            case "json-truncated" -> RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":" + requestId);
            case "json-not-json" -> respond(socket, "200 OK", "application/json", "", "<html><body>Welcome to nginx</body></html>");
            case "headers-endless" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Flood: ");
                writeUntilRefused(socket, "f".repeat(64 * 1024));
            }
            case "5xx-endless" -> {
                RawUpstream.write(socket, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n");
                writeUntilRefused(socket, chunk("<p>" + "e".repeat(64 * 1024) + "</p>"));
            }
            case "http10-interim" -> RawUpstream.write(socket, "HTTP/1.0 100\r\nMcp-Session-Id: leaked\r\nContent-Length: 2\r\n\r\nhi" + FORGED);
            case "switching" -> RawUpstream.write(socket, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n" + FORGED);
            case "http11-interim" -> {
                RawUpstream.write(socket, "HTTP/1.1 100 Continue\r\nMcp-Session-Id: leaked\r\nMcp-Note: leaked\r\n\r\n");
                respond(socket, "200 OK", "application/json", "", "{\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{\"after\":\"interim\"}}");
            }
            case "status-600" -> respond(socket, "600 Beyond", "application/json", "", "{}");
            case "status-999" -> respond(socket, "999 Beyond", "application/json", "", "{}");
            case "header-bare-cr" -> respond(socket, "200 OK", "application/json", "Mcp-Note: a\rSet-Cookie: injected=1\r\n", "{}");
            case "header-nul" -> respond(socket, "200 OK", "application/json", "Mcp-Note: a\u0000b\r\n", "{}");
            case "header-count" -> respond(socket, "200 OK", "application/json", "X-Many: x\r\n".repeat(200), "{}");
            case "head-trickle" -> {
                String head = "HTTP/1.1 200 OK\r\n" + JSON_HEAD + "X-Slow: " + "s".repeat(600);
                for (int i = 0; i < head.length(); i++) {
                    RawUpstream.write(socket, head.substring(i, i + 1));
                    Thread.sleep(100);
                }
            }
            case "te-gzip" -> RawUpstream.write(socket, "HTTP/1.1 200 OK\r\n" + JSON_HEAD + "Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n{}");
            case "chunk-overflow" -> RawUpstream.write(socket, "HTTP/1.1 200 OK\r\n" + JSON_HEAD + "Transfer-Encoding: chunked\r\n\r\n"
                    + "fffffffffffffffffff\r\n{}");
            case "cl-conflict" -> RawUpstream.write(socket, "HTTP/1.1 200 OK\r\n" + JSON_HEAD + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n{}");
            case "cl-and-te" -> RawUpstream.write(socket, "HTTP/1.1 200 OK\r\n" + JSON_HEAD + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk("{\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{}}") + "0\r\n\r\n");
            case "json-declares-huge" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\n" + JSON_HEAD + "Content-Length: " + (MAX_JSON_BYTES + 1L) + "\r\n\r\n{\"jsonrpc\"");
                RawUpstream.awaitClientClose(socket);
            }
            case "html" -> respond(socket, "200 OK", "text/html", "", "<html><body>Welcome to nginx</body></html>");
            case "no-content-type" -> respond(socket, "200 OK", null, "", "some bytes");
            default -> respond(socket, "200 OK", "application/json", "", "{\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{}}");
        }
    }

    /**
     * Writes {@code text} again and again until the relay closes the connection; bounded, so that a
     * relay that kept reading would fail the test instead of running it forever.
     */
    private static void writeUntilRefused(Socket socket, String text) throws Exception {
        for (long written = 0; written < 8L * MAX_EVENT_BYTES; written += text.length()) {
            RawUpstream.write(socket, text);
        }
        RawUpstream.awaitClientClose(socket);
    }

    private static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.ISO_8859_1).length) + "\r\n" + text + "\r\n";
    }

    private static void respond(Socket socket, String status, String contentType, String extraHeaders, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        RawUpstream.write(socket, "HTTP/1.1 " + status + "\r\n" + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + extraHeaders + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n");
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    private String initialize() throws Exception {
        HttpResponse<String> response = post(null, INITIALIZE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private HttpResponse<String> call(String session) throws Exception {
        return post(session, CALL);
    }

    private HttpResponse<String> post(String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .timeout(Duration.ofSeconds(20)).header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
