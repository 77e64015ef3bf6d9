package io.mcprelay.adapter.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.SseEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the console records of relayed messages: per session (bounded) and per second (errors by kind, percentiles). */
class ConsoleTrafficTest {

    private final MutableClock clock = MutableClock.startingNow();
    private final ConsoleTraffic traffic = new ConsoleTraffic(LiveView.NONE, clock::now);

    @Test
    void recordsEachMessageWithItsMethodAnswerAndTheEventsOfItsStreamWithoutChangingThem() {
        List<String> seen = new ArrayList<>();
        var relay = traffic.recording((command, downstream) -> {
            try (DownstreamPort.Stream stream = downstream.openEventStream(new DownstreamPort.Head(Optional.of(new ProxySessionId("s-1")), Map.of()))) {
                stream.emit(SseEvent.message("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}"));
                stream.emit(SseEvent.message("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[]}}"));
            }
        });

        relay.relay(command(Optional.of("s-1"), "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"x\"}}"),
                recordingDownstream(seen));

        assertThat(seen).containsExactly("stream", "emit", "emit", "close");
        List<SessionTraffic.Message> messages = traffic.sessions().of("s-1");
        assertThat(messages).extracting(SessionTraffic.Message::method).containsExactly("tools/call", "response", "notifications/progress");
        SessionTraffic.Message request = messages.getFirst();
        assertThat(request.direction()).isEqualTo(SessionTraffic.Direction.CLIENT_TO_UPSTREAM);
        assertThat(request.id()).contains("7");
        assertThat(request.answer()).contains("200 SSE");
        assertThat(request.latencyMillis()).isPresent();
        assertThat(messages.get(1).direction()).isEqualTo(SessionTraffic.Direction.UPSTREAM_TO_CLIENT);
        assertThat(messages.get(1).id()).contains("7");
    }

    @Test
    void anInitializeIsRecordedUnderTheSessionItsAnswerOpened() {
        var relay = traffic.recording((command, downstream) ->
                downstream.json(200, new DownstreamPort.Head(Optional.of(new ProxySessionId("new-1")), Map.of()), new byte[0]));

        relay.relay(command(Optional.empty(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}"), recordingDownstream(new ArrayList<>()));

        assertThat(traffic.sessions().of("new-1")).singleElement().satisfies(m -> {
            assertThat(m.method()).isEqualTo("initialize");
            assertThat(m.answer()).contains("200");
        });
    }

    @Test
    void refusalsCountAsClientErrorsOrUpstreamFaultsByTheirReason() {
        var refuse = traffic.recording((command, downstream) -> downstream.reject(Rejection.of(
                command.body().length > 40 ? RejectionReason.UPSTREAM_TIMEOUT : RejectionReason.SESSION_NOT_FOUND, "no")));

        refuse.relay(command(Optional.of("s-2"), "{\"id\":1,\"method\":\"ping\"}"), recordingDownstream(new ArrayList<>()));
        refuse.relay(command(Optional.of("s-2"), "{\"id\":2,\"method\":\"tools/call\",\"params\":{\"a\":\"bcd\"}}"), recordingDownstream(new ArrayList<>()));
        refuse.relay(command(Optional.of("s-2"), "not json"), recordingDownstream(new ArrayList<>()));
        clock.advance(Duration.ofSeconds(1));

        TrafficWindow.Step last = traffic.window().steps(5, 5).getLast();
        assertThat(last.count()).isEqualTo(3);
        assertThat(last.clientErrors()).isEqualTo(2);
        assertThat(last.upstreamFaults()).isEqualTo(1);
        assertThat(traffic.sessions().of("s-2")).extracting(SessionTraffic.Message::answer)
                .containsExactly(Optional.of("session_not_found"), Optional.of("upstream_timeout"), Optional.of("session_not_found"));
        assertThat(traffic.sessions().of("s-2").getFirst().method()).isEqualTo("invalid");
    }

    @Test
    void theWindowGivesPercentilesFromItsBucketsAndKeepsTheHighestOpenStreams() {
        for (int i = 0; i < 98; i++) {
            traffic.window().record(TrafficWindow.Result.OK, Duration.ofMillis(15));
        }
        traffic.window().record(TrafficWindow.Result.OK, Duration.ofMillis(700));
        traffic.window().record(TrafficWindow.Result.OK, Duration.ofMinutes(5));
        traffic.window().sampleOpenStreams(3);
        traffic.window().sampleOpenStreams(9);
        traffic.window().sampleOpenStreams(4);
        clock.advance(Duration.ofSeconds(1));

        List<TrafficWindow.Step> steps = traffic.window().steps(TrafficWindow.WINDOW_SECONDS, 5);
        TrafficWindow.Step last = steps.getLast();
        assertThat(steps).hasSize(60);
        assertThat(last.p50Millis()).isEqualTo(20);
        assertThat(last.p99Millis()).isEqualTo(1_000);
        assertThat(last.requestsPerSecond()).isEqualTo(20.0);
        assertThat(last.openStreams()).isEqualTo(9);
        assertThat(steps.getFirst().count()).isZero();
        assertThat(steps.getFirst().p99Millis()).isZero();

        clock.advance(Duration.ofSeconds(TrafficWindow.WINDOW_SECONDS + 1));
        assertThat(traffic.window().steps(TrafficWindow.WINDOW_SECONDS, 5)).allMatch(s -> s.count() == 0 && s.openStreams() == 0);
        assertThatThrownBy(() -> traffic.window().steps(7, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> traffic.window().steps(600, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachSessionKeepsItsLatestMessagesAndOnlyTheMostRecentlyActiveSessionsAreKept() {
        SessionTraffic sessions = traffic.sessions();
        for (int i = 0; i < SessionTraffic.MAX_MESSAGES + 10; i++) {
            sessions.record("busy", message("m-" + i));
        }
        for (int i = 0; i < SessionTraffic.MAX_SESSIONS; i++) {
            sessions.record("other-" + i, message("x".repeat(500)));
        }

        assertThat(sessions.of("busy")).isEmpty();
        assertThat(sessions.of("other-0")).singleElement().satisfies(m -> assertThat(m.method()).hasSize(SessionTraffic.MAX_TEXT + 1));
        sessions.forget("other-0");
        assertThat(sessions.of("other-0")).isEmpty();

        sessions.record("again", message("a"));
        for (int i = 0; i < SessionTraffic.MAX_MESSAGES + 10; i++) {
            sessions.record("again", message("m-" + i));
        }
        assertThat(sessions.of("again")).hasSize(SessionTraffic.MAX_MESSAGES).first().satisfies(m -> assertThat(m.method()).isEqualTo("m-59"));
    }

    @Test
    void theGlanceReadsOnlyTopLevelMethodAndId() {
        assertThat(RpcGlance.of("{\"params\":{\"method\":\"inner\",\"id\":9},\"id\":\"a\",\"method\":\"tools/list\"}"))
                .isEqualTo(new RpcGlance("tools/list", Optional.of("a")));
        assertThat(RpcGlance.of("[{\"method\":\"x\"}]".getBytes(StandardCharsets.UTF_8)).method()).isEqualTo("batch");
        assertThat(RpcGlance.of("{\"id\":null,\"error\":{}}")).isEqualTo(new RpcGlance("response", Optional.empty()));
        assertThat(RpcGlance.of("{\"method\":").method()).isEqualTo("invalid");
        assertThat(RpcGlance.of("42").method()).isEqualTo("invalid");
        assertThat(RpcGlance.of("").method()).as("an SSE priming event").isEqualTo("(empty)");
        String big = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"text\":\"" + "x".repeat(200_000) + "\"}}";
        assertThat(RpcGlance.of(big)).as("only the start of a large message is read").isEqualTo(new RpcGlance("tools/call", Optional.of("5")));
        assertThat(RpcGlance.of(big.getBytes(StandardCharsets.UTF_8))).isEqualTo(new RpcGlance("tools/call", Optional.of("5")));
        String idLast = "{\"result\":{\"text\":\"" + "x".repeat(200_000) + "\"},\"id\":6}";
        assertThat(RpcGlance.of(idLast)).as("an id past the glance is not seen").isEqualTo(new RpcGlance("response", Optional.empty()));
    }

    private SessionTraffic.Message message(String method) {
        return new SessionTraffic.Message(clock.now(), SessionTraffic.Direction.CLIENT_TO_UPSTREAM, method, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    private static RelayMessageCommand command(Optional<String> session, String body) {
        return new RelayMessageCommand(session, Optional.empty(), Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static DownstreamPort recordingDownstream(List<String> seen) {
        return new DownstreamPort() {
            @Override
            public void reject(Rejection rejection) {
                seen.add("reject");
            }

            @Override
            public void accepted(Head head) {
                seen.add("accepted");
            }

            @Override
            public void empty(int status, Head head) {
                seen.add("empty");
            }

            @Override
            public void json(int status, Head head, byte[] body) {
                seen.add("json");
            }

            @Override
            public void passthrough(int status, Head head, String contentType, InputStream body) {
                seen.add("passthrough");
            }

            @Override
            public Stream openEventStream(Head head) {
                seen.add("stream");
                return new Stream() {
                    @Override
                    public boolean emit(SseEvent event) {
                        seen.add("emit");
                        return true;
                    }

                    @Override
                    public boolean comment(String text) {
                        return true;
                    }

                    @Override
                    public void close() {
                        seen.add("close");
                    }
                };
            }
        };
    }
}
