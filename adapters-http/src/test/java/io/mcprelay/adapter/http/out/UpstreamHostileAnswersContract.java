package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.RawUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Answers of a hostile upstream that a lax HTTP reading would let through to the client: interim and
 * 101 answers with bodies, statuses that are no HTTP status, control characters in header values,
 * heads trickled a byte at a time, bodies that declare more than the limit, broken framings. Each is
 * refused as {@link Cause#PROTOCOL} (or {@link Cause#TIMEOUT} for the trickle) without anything of it
 * reaching the caller, and the connection is closed, not pooled. Over real loopback sockets, once on
 * each of {@link UpstreamClients}; each exchange runs on a virtual thread, as the relay's do.
 */
abstract class UpstreamHostileAnswersContract {

    private static final Duration READ_TIMEOUT = Duration.ofMillis(800);
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(1);
    private static final int MAX_JSON = 64 << 10;
    private static final String JSON_HEAD = "Content-Type: application/json\r\n";
    private static final String ANSWER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";
    private static final String FORGED = "HTTP/1.1 200 OK\r\nSet-Cookie: injected=1\r\nMcp-Session-Id: forged\r\n" + JSON_HEAD
            + "Content-Length: 45\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"x\":true}}";

    private final UpstreamClients.Tested adapter;
    private final boolean skipsInterimAnswers;
    private final List<RawUpstream> upstreams = new ArrayList<>();

    /** @param skipsInterimAnswers whether the client skips an HTTP/1.1 interim answer (else it refuses it) */
    UpstreamHostileAnswersContract(UpstreamClients client, boolean skipsInterimAnswers) {
        this.adapter = client.create(UpstreamClientConfig.defaults().withTimeouts(Duration.ofSeconds(2), READ_TIMEOUT)
                .withAnswerLimits(HEAD_TIMEOUT, MAX_JSON));
        this.skipsInterimAnswers = skipsInterimAnswers;
    }

    @AfterEach
    void stop() {
        adapter.close();
        upstreams.forEach(RawUpstream::close);
    }

    @Test
    void anHttp10InterimAnswerWithABodyIsRefusedAndNothingOfItPasses() throws Exception {
        assertRefused("HTTP/1.0 100 Continue\r\nMcp-Session-Id: leaked\r\nContent-Length: 2\r\n\r\nhi" + FORGED, Cause.PROTOCOL);
    }

    @Test
    void aSwitchOfProtocolsIsRefused() throws Exception {
        assertRefused("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n" + FORGED, Cause.PROTOCOL);
    }

    @Test
    void anHttp11InterimAnswerIsSkippedOrRefusedButItsFieldsNeverPass() throws Exception {
        RawUpstream raw = answering("HTTP/1.1 100 Continue\r\nMcp-Session-Id: leaked\r\n\r\nHTTP/1.1 200 OK\r\n" + JSON_HEAD
                + "Connection: close\r\nContent-Length: " + ANSWER.length() + "\r\n\r\n" + ANSWER);

        HttpAnswer answer = exchange(raw);

        if (skipsInterimAnswers) {
            assertThat(answer).isInstanceOfSatisfying(HttpAnswer.Json.class, json -> {
                assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo(ANSWER);
                assertThat(json.headers().get("mcp-session-id")).isEmpty();
            });
        } else {
            assertThat(answer).isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> assertThat(u.cause()).isEqualTo(Cause.PROTOCOL));
        }
        assertLetGo(raw);
    }

    @Test
    void statusesOutsideHttpsRangeAreRefused() throws Exception {
        for (String status : List.of("600 Weird", "999 Weird")) {
            assertRefused("HTTP/1.1 " + status + "\r\n" + JSON_HEAD + "Content-Length: 2\r\n\r\n{}", Cause.PROTOCOL);
        }
    }

    @Test
    void controlCharactersInHeaderValuesAreRefused() throws Exception {
        for (String value : List.of("a\rSet-Cookie: injected=1", "a\u0000b", "a\u001bb")) {
            assertRefused("HTTP/1.1 200 OK\r\n" + JSON_HEAD + "Mcp-Note: " + value + "\r\nContent-Length: " + ANSWER.length()
                    + "\r\n\r\n" + ANSWER, Cause.PROTOCOL);
        }
    }

    @Test
    void aHeadTrickledAByteAtATimeTimesOutAtItsDeadline() throws Exception {
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            String head = "HTTP/1.1 200 OK\r\n" + JSON_HEAD + "X-Slow: " + "s".repeat(200);
            for (int i = 0; i < head.length(); i++) {
                RawUpstream.write(socket, head.substring(i, i + 1));
                Thread.sleep(100); // each byte well within the read timeout
            }
            RawUpstream.awaitClientClose(socket);
        });
        long started = System.nanoTime();

        HttpAnswer answer = exchange(raw);

        assertThat(answer).isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> {
            assertThat(u.cause()).isEqualTo(Cause.TIMEOUT);
            assertThat(u.detail()).contains("response head took longer than its deadline");
        });
        // the whole trickle would take 22 s; the deadline (at most read timeout + head timeout) ends it long before
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertLetGo(raw);
    }

    @Test
    void aJsonAnswerDeclaringMoreThanTheLimitIsRefusedWithoutWaitingForIt() throws Exception {
        RawUpstream raw = answering("HTTP/1.1 200 OK\r\n" + JSON_HEAD + "Content-Length: " + (MAX_JSON + 1) + "\r\n\r\n{\"jsonrpc\"");
        long started = System.nanoTime();

        assertThat(exchange(raw)).isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> {
            assertThat(u.cause()).isEqualTo(Cause.PROTOCOL);
            assertThat(u.detail()).isEqualTo("JSON answer larger than " + MAX_JSON + " bytes");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(READ_TIMEOUT);
        assertLetGo(raw);
    }

    @Test
    void aChunkedJsonAnswerOverTheLimitIsRefused() throws Exception {
        String chunk = Integer.toHexString(MAX_JSON) + "\r\n" + "j".repeat(MAX_JSON) + "\r\n";
        assertRefused("HTTP/1.1 200 OK\r\n" + JSON_HEAD + "Transfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n", Cause.PROTOCOL);
    }

    @Test
    void aControlCharacterInTheStatusLineIsRefused() throws Exception {
        assertRefused("HTTP/1.1 200 O\u0001K\r\n" + JSON_HEAD + "Content-Length: 2\r\n\r\n{}", Cause.PROTOCOL);
    }

    @Test
    void brokenFramingsAreRefused() throws Exception {
        for (String head : List.of(
                JSON_HEAD + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n",
                JSON_HEAD + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n{}",
                JSON_HEAD + "Content-Length: -1\r\n\r\n{}",
                JSON_HEAD + "X-Many: x\r\n".repeat(200) + "Content-Length: 2\r\n\r\n{}",
                JSON_HEAD + "Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n{}",
                JSON_HEAD + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")) {
            assertRefused("HTTP/1.1 200 OK\r\n" + head, Cause.PROTOCOL);
        }
    }

    private void assertRefused(String answer, Cause cause) throws Exception {
        RawUpstream raw = answering(answer);

        assertThat(exchange(raw)).as(answer).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).as(u.detail()).isEqualTo(cause));
        assertLetGo(raw);
    }

    /** The connection is closed (not pooled, not left open) and every pool place is back. */
    private void assertLetGo(RawUpstream raw) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (raw.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(raw.openConnections()).as("connections left open").isZero();
        assertThat(adapter.availablePermits("hostile")).isEqualTo(UpstreamClientConfig.defaults().maxConcurrent());
    }

    private HttpAnswer exchange(RawUpstream raw) throws Exception {
        HttpRequest request = new HttpRequest(new UpstreamTarget("hostile", raw.endpoint()), HttpRequest.Method.POST,
                Map.of("Content-Type", "application/json"), Optional.empty(),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<HttpAnswer> answer = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                answer.complete(adapter.exchange(request));
            } catch (RuntimeException | Error e) {
                answer.completeExceptionally(e);
            }
        });
        return answer.get(30, TimeUnit.SECONDS);
    }

    /** An upstream that answers {@code answer} to every request, then waits for the client to close. */
    private RawUpstream answering(String answer) {
        return raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, answer);
            RawUpstream.awaitClientClose(socket);
        });
    }

    private RawUpstream raw(RawUpstream.Conversation conversation) {
        RawUpstream raw = RawUpstream.start(conversation);
        upstreams.add(raw);
        return raw;
    }

}
