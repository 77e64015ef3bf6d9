package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.mcprelay.adapter.http.testing.RawUpstream;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.port.out.UpstreamProbePort;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a health probe of an HTTP upstream must do, whichever HTTP client carries it; runs on each
 * probe through a subclass.
 */
abstract class UpstreamProbeContract {

    /** The probe's timeout where the test is about the timeout itself. */
    private static final Duration TIMEOUT = Duration.ofMillis(400);
    /** Where the upstream answers (or refuses) at once: room for a machine that is busy with other work. */
    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(5);

    private final UpstreamProbePort probe;
    private final List<AutoCloseable> upstreams = new ArrayList<>();

    UpstreamProbeContract(UpstreamProbePort probe) {
        this.probe = probe;
    }
    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable upstream : upstreams) {
            upstream.close();
        }
    }

    @Test
    void probeCallsA405Healthy() {
        StubUpstream stub = stub((req, res) -> res.status(Status.METHOD_NOT_ALLOWED_405).send());

        UpstreamProbePort.Result result = probe.probe(new UpstreamTarget("up", stub.endpoint()), ANSWERED_WITHIN);

        assertThat(result.healthy()).isTrue();
        assertThat(result.detail()).contains("405");
        // what it sends creates nothing: a GET asking for an event stream, without a session or body
        assertThat(stub.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.header("accept")).isEqualTo("text/event-stream");
            assertThat(r.header("mcp-session-id")).isNull();
            assertThat(r.body()).isEmpty();
        });
    }

    @Test
    void probeCallsA400WithoutSessionHealthy() {
        StubUpstream stub = stub((req, res) -> res.status(Status.BAD_REQUEST_400).send("Bad Request: No valid session ID provided"));

        assertThat(probe.probe(new UpstreamTarget("up", stub.endpoint()), ANSWERED_WITHIN).healthy()).isTrue();
    }

    @Test
    void probeCallsConnectionRefusedUnhealthy() {
        URI nowhere = URI.create("http://127.0.0.1:" + RawUpstream.closedPort() + "/mcp");

        UpstreamProbePort.Result result = probe.probe(new UpstreamTarget("gone", nowhere), ANSWERED_WITHIN);

        assertThat(result.healthy()).isFalse();
        assertThat(result.detail()).contains("CONNECT");
    }

    @Test
    void probeCallsA500Unhealthy() {
        StubUpstream stub = stub((req, res) -> res.status(Status.INTERNAL_SERVER_ERROR_500).send("boom"));

        UpstreamProbePort.Result result = probe.probe(new UpstreamTarget("up", stub.endpoint()), ANSWERED_WITHIN);

        assertThat(result.healthy()).isFalse();
        assertThat(result.detail()).contains("500");
    }

    @Test
    void probeCallsAnythingButAFinalStatusBelow500Unhealthy() {
        for (String status : List.of("600 Beyond", "999 Beyond", "101 Switching Protocols", "100 Continue")) {
            RawUpstream raw = raw(socket -> {
                RawUpstream.readRequest(socket);
                RawUpstream.write(socket, "HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n");
                RawUpstream.awaitClientClose(socket);
            });

            assertThat(probe.probe(new UpstreamTarget("odd", raw.endpoint()), ANSWERED_WITHIN).healthy()).as(status).isFalse();
        }
    }

    @Test
    void probeCallsGarbageUnhealthy() {
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, "SSH-2.0-OpenSSH_9.6\r\n\r\n");
        });

        assertThat(probe.probe(new UpstreamTarget("ssh", raw.endpoint()), ANSWERED_WITHIN).healthy()).isFalse();
    }

    @Test
    void probeReturnsWithinItsTimeoutWhenTheUpstreamHangs() {
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.awaitClientClose(socket);
        });

        long started = System.nanoTime();
        UpstreamProbePort.Result result = probe.probe(new UpstreamTarget("hung", raw.endpoint()), TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.healthy()).isFalse();
        assertThat(took).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusSeconds(3));
    }

    @Test
    void probeReturnsWithinItsTimeoutWhenTheUpstreamDribblesItsHeaders() throws Exception {
        // each byte comes sooner than the read timeout, so only the probe's overall deadline can stop it
        CountDownLatch probeGone = new CountDownLatch(1);
        RawUpstream raw = raw(socket -> {
            RawUpstream.readRequest(socket);
            RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nX-Slow: ");
            try {
                for (int i = 0; i < 600; i++) {
                    RawUpstream.write(socket, "a");
                    Thread.sleep(TIMEOUT.toMillis() / 4);
                }
            } catch (IOException e) {
                probeGone.countDown();
            }
        });

        long started = System.nanoTime();
        UpstreamProbePort.Result result = probe.probe(new UpstreamTarget("dribbling", raw.endpoint()), TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.healthy()).isFalse();
        assertThat(took).isBetween(TIMEOUT, TIMEOUT.plus(ProbeRun.GRACE).plusSeconds(3));
        assertThat(probeGone.await(10, TimeUnit.SECONDS)).as("the abandoned probe closed its connection").isTrue();
    }

    @Test
    void probeClosesAnEventStreamAtOnce() throws Exception {
        CountDownLatch probeGone = new CountDownLatch(1);
        StubUpstream stub = stub((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            // heartbeats for up to 30 s, unless the probe goes away (the write fails, or the server ends the handler)
            try (OutputStream out = res.outputStream()) {
                for (int i = 0; i < 600 && StubUpstream.writeAndFlush(out, ": heartbeat\n\n"); i++) {
                    Thread.sleep(50);
                }
            } finally {
                probeGone.countDown();
            }
        });

        long started = System.nanoTime();
        UpstreamProbePort.Result result = probe.probe(new UpstreamTarget("streaming", stub.endpoint()), Duration.ofSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.healthy()).isTrue();
        assertThat(result.detail()).contains("200");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(probeGone.await(10, TimeUnit.SECONDS)).as("the upstream saw the stream closed").isTrue();
    }

    private StubUpstream stub(StubUpstream.Behaviour behaviour) {
        StubUpstream stub = StubUpstream.start(behaviour);
        upstreams.add(stub);
        return stub;
    }

    private RawUpstream raw(RawUpstream.Conversation conversation) {
        RawUpstream raw = RawUpstream.start(conversation);
        upstreams.add(raw);
        return raw;
    }
}
