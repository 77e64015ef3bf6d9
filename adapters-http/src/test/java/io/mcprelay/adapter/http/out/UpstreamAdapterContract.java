package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.io.OutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every upstream adapter answers, over real loopback sockets; runs on each of
 * {@link UpstreamClients}, through a subclass per adapter.
 */
abstract class UpstreamAdapterContract {

    private static final byte[] REQUEST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8);

    private final UpstreamClients.Tested adapter;
    private StubUpstream stub;

    UpstreamAdapterContract(UpstreamClients client) {
        adapter = client.create(UpstreamClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(3)));
    }

    @AfterEach
    void stop() {
        adapter.close();
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void classifiesJsonAndKeepsTheUpstreamSessionIdAndBody() {
        stub = StubUpstream.start((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            res.header(HeaderNames.create("Mcp-Session-Id"), "up-1");
            res.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        });

        HttpAnswer response = adapter.exchange(post(Map.of("Content-Type", "application/json"), Optional.empty()));

        assertThat(response).isInstanceOfSatisfying(HttpAnswer.Json.class, json -> {
            assertThat(json.status()).isEqualTo(200);
            assertThat(json.headers().sessionId()).contains(new UpstreamSessionId("up-1"));
            assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        });
    }

    @Test
    void sendsTheBodyHeadersAndUpstreamSessionIdExactlyOnce() {
        stub = StubUpstream.start((req, res) -> res.status(Status.ACCEPTED_202).send());

        adapter.exchange(post(Map.of("Content-Type", "application/json", "MCP-Protocol-Version", "2025-06-18"),
                Optional.of(new UpstreamSessionId("up-7"))));

        assertThat(stub.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.body()).isEqualTo(new String(REQUEST, StandardCharsets.UTF_8));
            assertThat(r.header("mcp-session-id")).isEqualTo("up-7");
            assertThat(r.header("mcp-protocol-version")).isEqualTo("2025-06-18");
            assertThat(r.header("accept")).contains("application/json").contains("text/event-stream");
        });
    }

    @Test
    void classifiesAcceptedWithoutBody() {
        stub = StubUpstream.start((req, res) -> res.status(Status.ACCEPTED_202).send());

        assertThat(adapter.exchange(post(Map.of(), Optional.empty()))).isInstanceOf(HttpAnswer.Accepted.class);
    }

    @Test
    void readsAnEventStreamEventByEventWhileTheUpstreamIsStillSending() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        stub = StubUpstream.start((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                StubUpstream.writeAndFlush(out, "id: u1\ndata: one\n\n");
                firstRead.await(5, TimeUnit.SECONDS);
                StubUpstream.writeAndFlush(out, "id: u2\ndata: two\n\n");
            }
        });

        HttpAnswer response = adapter.exchange(post(Map.of(), Optional.empty()));

        assertThat(response).isInstanceOf(HttpAnswer.EventStream.class);
        try (HttpAnswer.EventStream stream = (HttpAnswer.EventStream) response) {
            UpstreamEvents.Read first = stream.events().next();
            assertThat(first).isInstanceOfSatisfying(UpstreamEvents.Read.Event.class, e -> {
                assertThat(e.event().data()).isEqualTo("one");
                assertThat(e.event().cursor()).contains("u1");
            });
            // the second event is only sent after the first was read: no buffering to the end
            firstRead.countDown();
            assertThat(stream.events().next()).isInstanceOfSatisfying(UpstreamEvents.Read.Event.class,
                    e -> assertThat(e.event().data()).isEqualTo("two"));
            assertThat(stream.events().next()).isInstanceOf(UpstreamEvents.Read.End.class);
        }
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void classifiesErrorStatusesWithTheirBody() {
        stub = StubUpstream.start((req, res) -> {
            res.status(Status.NOT_FOUND_404);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
        });

        assertThat(adapter.exchange(post(Map.of(), Optional.empty()))).isInstanceOfSatisfying(HttpAnswer.Failed.class, f -> {
            assertThat(f.status()).isEqualTo(404);
            assertThat(new String(f.body(), StandardCharsets.UTF_8)).contains("Session not found");
        });
    }

    @Test
    void passesOtherContentTypesThroughAsAStream() throws Exception {
        stub = StubUpstream.start((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain");
            res.send("plain words");
        });

        HttpAnswer response = adapter.exchange(post(Map.of(), Optional.empty()));

        assertThat(response).isInstanceOf(HttpAnswer.Passthrough.class);
        try (HttpAnswer.Passthrough passthrough = (HttpAnswer.Passthrough) response) {
            assertThat(passthrough.contentType()).isEqualTo("text/plain");
            assertThat(new String(passthrough.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("plain words");
        }
    }

    @Test
    void reportsConnectionRefusedAsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        HttpAnswer response = adapter.exchange(new HttpRequest(
                new UpstreamTarget("gone", URI.create("http://127.0.0.1:" + closedPort + "/mcp")),
                HttpRequest.Method.POST, Map.of(), Optional.empty(), REQUEST));

        assertThat(response).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).isEqualTo(io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause.CONNECT));
    }

    @Test
    void reportsAnUpstreamThatNeverAnswersAsTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    accepted.add(silent.accept());
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            HttpAnswer response = adapter.exchange(new HttpRequest(
                    new UpstreamTarget("silent", URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/mcp")),
                    HttpRequest.Method.POST, Map.of(), Optional.empty(), REQUEST));

            assertThat(response).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                    u -> assertThat(u.cause()).isEqualTo(io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause.TIMEOUT));
            acceptor.join(1000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void reportsGarbageInsteadOfHttpAsProtocolFailure() throws Exception {
        try (ServerSocket garbage = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket s = garbage.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[4096]);
                    s.getOutputStream().write("this is not HTTP at all\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                } catch (Exception ignored) {
                    // the client may close first
                }
            });
            HttpAnswer response = adapter.exchange(new HttpRequest(
                    new UpstreamTarget("garbage", URI.create("http://127.0.0.1:" + garbage.getLocalPort() + "/mcp")),
                    HttpRequest.Method.POST, Map.of(), Optional.empty(), REQUEST));

            assertThat(response).isInstanceOf(HttpAnswer.Unreachable.class);
            server.join(2000);
        }
    }

    @Test
    void reportsAStreamResetMidwayAsBroken() throws Exception {
        try (ServerSocket resetting = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket s = resetting.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "f\r\ndata: partial\n\n\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    s.setSoLinger(true, 0);
                } catch (Exception ignored) {
                    // reset on close
                }
            });
            HttpAnswer response = adapter.exchange(new HttpRequest(
                    new UpstreamTarget("reset", URI.create("http://127.0.0.1:" + resetting.getLocalPort() + "/mcp")),
                    HttpRequest.Method.POST, Map.of(), Optional.empty(), REQUEST));

            assertThat(response).isInstanceOf(HttpAnswer.EventStream.class);
            try (HttpAnswer.EventStream stream = (HttpAnswer.EventStream) response) {
                assertThat(stream.events().next()).isInstanceOfSatisfying(UpstreamEvents.Read.Event.class,
                        e -> assertThat(e.event().data()).isEqualTo("partial"));
                assertThat(stream.events().next()).isInstanceOfAny(UpstreamEvents.Read.Broken.class, UpstreamEvents.Read.End.class);
            }
            server.join(2000);
        }
    }

    private HttpRequest post(Map<String, String> headers, Optional<UpstreamSessionId> session) {
        return new HttpRequest(new UpstreamTarget("stub", stub.endpoint()), HttpRequest.Method.POST, headers, session, REQUEST);
    }
}
