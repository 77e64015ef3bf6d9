package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.RawUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What only {@link SocketUpstreamAdapter} can tell, since it counts the bytes a connection received:
 * a pooled connection that breaks after part of an answer came is not stale, and the request is not
 * sent again (the contract cases with {@code UpstreamPoolsContract} cover the stale ones, on both adapters).
 */
class SocketStaleConnectionTest {

    private static final String JSON = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";
    private static final String ANSWER = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + JSON.length()
            + "\r\n\r\n" + JSON;

    private final SocketUpstreamAdapter sockets = new SocketUpstreamAdapter(UpstreamClientConfig.defaults()
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    private RawUpstream raw;

    @AfterEach
    void close() {
        sockets.close();
        raw.close();
    }

    @Test
    void aPooledConnectionResetAfterPartOfTheAnswerHeadIsDroppedAndNotRetried() {
        AtomicInteger arrived = new AtomicInteger();
        raw = RawUpstream.start(socket -> {
            RawUpstream.readRequest(socket);
            arrived.incrementAndGet();
            RawUpstream.write(socket, ANSWER);
            RawUpstream.readRequest(socket);
            arrived.incrementAndGet();
            RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-");
            Thread.sleep(100); // the bytes reach the client before the reset
            socket.setSoLinger(true, 0);
        });
        UpstreamTarget target = new UpstreamTarget("half-answered", raw.endpoint());
        assertThat(sockets.exchange(post(target))).isInstanceOf(HttpAnswer.Json.class);

        assertThat(sockets.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).as(u.detail()).isIn(Cause.DROPPED, Cause.PROTOCOL));

        assertThat(arrived).hasValue(2);
        assertThat(raw.connections()).as("no second connection: the answer had begun").isEqualTo(1);
    }

    @Test
    void aPooledConnectionClosedAfterPartOfTheAnswerHeadIsNotRetried() {
        AtomicInteger arrived = new AtomicInteger();
        raw = RawUpstream.start(socket -> {
            RawUpstream.readRequest(socket);
            arrived.incrementAndGet();
            RawUpstream.write(socket, ANSWER);
            RawUpstream.readRequest(socket);
            arrived.incrementAndGet();
            RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-");
        });
        UpstreamTarget target = new UpstreamTarget("half-answered-eof", raw.endpoint());
        assertThat(sockets.exchange(post(target))).isInstanceOf(HttpAnswer.Json.class);

        assertThat(sockets.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Unreachable.class,
                u -> assertThat(u.cause()).isEqualTo(Cause.PROTOCOL));

        assertThat(arrived).hasValue(2);
        assertThat(raw.connections()).isEqualTo(1);
    }

    private static HttpRequest post(UpstreamTarget target) {
        return new HttpRequest(target, HttpRequest.Method.POST, Map.of("Content-Type", "application/json"), Optional.empty(),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8));
    }
}
