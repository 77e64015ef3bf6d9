package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.Messages;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.era.EraVerdict;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamSpec;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The server/discover probe judged as the SDK's dual-era client judges its own, reply by reply. */
class EraProbeTest {

    private static final String DISCOVERED = "{\"jsonrpc\":\"2.0\",\"id\":\"mcp-relay-discover\",\"result\":{\"supportedVersions\":"
            + "[\"2026-07-28\",\"2025-11-25\"]}}";

    private final RelayHarness relay = RelayHarness.create();
    private final EraProbe probe = new EraProbe(relay.upstream(), relay.codec(), relay.catalog());

    @Test
    void aDiscoverResultWithAModernVersionIsModern() {
        assertThat(probe.judge(UpstreamReplies.json(DISCOVERED)).supportedVersions()).containsExactly("2026-07-28", "2025-11-25");
        assertThat(probe.judge(UpstreamReplies.json(Messages.result("\"mcp-relay-discover\"")))).isEqualTo(EraVerdict.LEGACY);
        assertThat(probe.judge(UpstreamReplies.json(Messages.error("\"mcp-relay-discover\"", -32601, "no")))).isEqualTo(EraVerdict.LEGACY);
        assertThat(probe.judge(UpstreamReplies.json("<html>"))).isEqualTo(EraVerdict.LEGACY);
    }

    @Test
    void aStreamedAnswerIsReadUpToItsResult() {
        assertThat(probe.judge(UpstreamReplies.eventStream(ScriptedEventSource.of(ScriptedEventSource.priming("p"),
                ScriptedEventSource.event(Messages.notification("notifications/message")), ScriptedEventSource.event("not json"),
                ScriptedEventSource.event(DISCOVERED)))).kind()).isEqualTo(EraVerdict.Kind.MODERN);
        assertThat(probe.judge(UpstreamReplies.eventStream(ScriptedEventSource.ofData(Messages.error("1", -32022, "no")))))
                .isEqualTo(EraVerdict.LEGACY);
        assertThat(probe.judge(UpstreamReplies.eventStream(ScriptedEventSource.of(ScriptedEventSource.end())))).isEqualTo(EraVerdict.UNKNOWN);
        String[] chatter = new String[20];
        java.util.Arrays.fill(chatter, Messages.notification("notifications/message"));
        assertThat(probe.judge(UpstreamReplies.eventStream(ScriptedEventSource.ofData(chatter)))).isEqualTo(EraVerdict.UNKNOWN);
    }

    @Test
    void refusalsTheUpstreamJudgedAreLegacyFailuresSayNothing() {
        assertThat(probe.judge(UpstreamReplies.refusedWith(400, Messages.error("1", -32000, "Mcp-Session-Id required")))).isEqualTo(EraVerdict.LEGACY);
        assertThat(probe.judge(UpstreamReplies.refused(405, "HTTP 405"))).isEqualTo(EraVerdict.LEGACY);
        assertThat(probe.judge(UpstreamReplies.refused(503, "HTTP 503"))).isEqualTo(EraVerdict.UNKNOWN);
        assertThat(probe.judge(UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.TIMEOUT))).isEqualTo(EraVerdict.UNKNOWN);
        assertThat(probe.judge(UpstreamReplies.accepted())).isEqualTo(EraVerdict.LEGACY);
        assertThat(probe.judge(UpstreamReplies.passthrough("text/html", "<html>"))).isEqualTo(EraVerdict.LEGACY);
        assertThat(probe.judge(UpstreamReplies.sessionGone())).isEqualTo(EraVerdict.LEGACY);
        assertThat(probe.judge(UpstreamReplies.noStream())).isEqualTo(EraVerdict.LEGACY);
    }

    @Test
    void anUpstreamThatThrowsIsUnknownAndProbedAgainOnlyLater() {
        UpstreamPort throwing = new ThrowingUpstream() {
            @Override
            public UpstreamReply send(UpstreamCall call) {
                throw new IllegalStateException("boom");
            }
        };
        EraProbe failing = new EraProbe(throwing, relay.codec(), relay.catalog());

        failing.probeUnjudged();

        assertThat(relay.catalog().eraOf("primary")).contains("auto: unknown");
        assertThat(relay.catalog().eraProbesDue(EraProbe.RETRY_UNKNOWN, true)).isEmpty();
    }

    private final io.mcprelay.application.fixtures.MutableClock clock = io.mcprelay.application.fixtures.MutableClock.startingNow();
    /** The harness's upstream under a catalog on {@link #clock}. */
    private final UpstreamCatalog timed = new UpstreamCatalog(List.of(UpstreamSpec.of(RelayHarness.PRIMARY)), SelectionStrategy.ROUND_ROBIN,
            BreakerPolicy.defaults(), HealthCheckPolicy.defaults(), clock::now);
    private final EraProbe timedProbe = new EraProbe(relay.upstream(), relay.codec(), timed);

    @Test
    void theProbeAtStartJudgesEachAutoUpstreamOnceAndTheHealthChecksRefreshItLater() {
        EraProbe probe = timedProbe;
        relay.upstream().thenAnswer(UpstreamReplies.json(DISCOVERED)).thenAnswer(UpstreamReplies.json(DISCOVERED));
        probe.probeUnjudged();
        probe.probeUnjudged();
        assertThat(relay.upstream().requestCount()).as("judged at start, not again").isEqualTo(1);
        assertThat(timed.eraOf("primary")).contains("auto: modern (2026-07-28, 2025-11-25)");

        probe.refresh();
        assertThat(relay.upstream().requestCount()).as("the verdict is fresh").isEqualTo(1);
        clock.advance(EraProbe.REFRESH.plusSeconds(1));
        probe.refresh();
        assertThat(relay.upstream().requestCount()).as("older than the refresh interval: probed again").isEqualTo(2);
    }

    @Test
    void anUpstreamDownAtStartIsProbedAgainByTheHealthChecks() {
        EraProbe probe = timedProbe;
        relay.upstream().thenAnswer(UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.CONNECT))
                .thenAnswer(UpstreamReplies.json(DISCOVERED));
        probe.probeUnjudged();
        assertThat(timed.eraOf("primary")).contains("auto: unknown");

        probe.refresh();
        assertThat(relay.upstream().requestCount()).as("not before the retry interval").isEqualTo(1);
        clock.advance(EraProbe.RETRY_UNKNOWN.plusSeconds(1));
        probe.refresh();
        assertThat(relay.upstream().requestCount()).isEqualTo(2);
        assertThat(timed.eraOf("primary")).contains("auto: modern (2026-07-28, 2025-11-25)");
    }

    @Test
    void theHealthChecksProbeAnUpstreamNeverProbedAndLeaveConfiguredOnesAlone() {
        relay.upstream().thenAnswer(UpstreamReplies.refusedWith(400, Messages.error("\"mcp-relay-discover\"", -32000, "session required")));
        probe.refresh();
        assertThat(relay.upstream().requestCount()).as("e.g. added by a reload after the start").isEqualTo(1);
        assertThat(relay.catalog().eraOf("primary")).contains("auto: legacy");

        RelayHarness configured = RelayHarness.builder().era(UpstreamEra.LEGACY).build();
        EraProbe none = new EraProbe(configured.upstream(), configured.codec(), configured.catalog());
        none.probeUnjudged();
        configured.clock().advance(EraProbe.REFRESH.plusSeconds(1));
        none.refresh();
        assertThat(configured.upstream().requestCount()).as("era: legacy overrides the probe").isZero();
    }

    @Test
    void aRoundOfHealthChecksLeavesAProbeInProgressBe() throws Exception {
        java.util.concurrent.CountDownLatch inProbe = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        EraProbe slow = new EraProbe(new ThrowingUpstream() {
            @Override
            public UpstreamReply send(UpstreamCall call) {
                sent.incrementAndGet();
                inProbe.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return UpstreamReplies.json(DISCOVERED);
            }
        }, relay.codec(), relay.catalog());
        Thread atStart = Thread.ofVirtual().start(slow::probeUnjudged);
        assertThat(inProbe.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        slow.refresh();
        assertThat(sent).as("the health checks do not wait for it, nor probe the same upstream twice").hasValue(1);
        release.countDown();
        atStart.join(10_000);
        assertThat(relay.catalog().eraOf("primary")).contains("auto: modern (2026-07-28, 2025-11-25)");
    }

    @Test
    void theCatalogKnowsWhichUpstreamsServeWhichVersions() {
        UpstreamTarget stdio = new UpstreamTarget("local", new UpstreamTransport.Stdio("server", List.of(), java.util.Map.of(), Optional.empty()));
        UpstreamTarget legacy = new UpstreamTarget("old", URI.create("http://old.test/mcp"));
        UpstreamTarget modern = new UpstreamTarget("new", URI.create("http://new.test/mcp"));
        UpstreamTarget auto = new UpstreamTarget("auto", URI.create("http://auto.test/mcp"));
        UpstreamCatalog catalog = new UpstreamCatalog(List.of(UpstreamSpec.of(stdio).withEra(UpstreamEra.DUAL),
                UpstreamSpec.of(legacy).withEra(UpstreamEra.LEGACY), UpstreamSpec.of(modern).withEra(UpstreamEra.MODERN), UpstreamSpec.of(auto)),
                SelectionStrategy.ROUND_ROBIN, BreakerPolicy.defaults(), HealthCheckPolicy.defaults(), Instant::now);

        assertThat(catalog.pickForModern("2026-07-28", Set.of())).contains(modern);
        assertThat(catalog.pickForModern("2026-07-28", Set.of("new"))).isEmpty();
        assertThat(catalog.eraProbesDue(java.time.Duration.ofMinutes(1), false)).containsExactly(auto);
        catalog.recordEra("auto", EraVerdict.ofDiscoverResult(List.of("2026-07-28")));
        catalog.recordEra("nobody", EraVerdict.LEGACY);
        assertThat(catalog.pickForModern("2026-07-28", Set.of("new"))).contains(auto);
        assertThat(catalog.versionsServed()).as("a modern -32022 lists the modern versions served, as the SDK's servers do")
                .containsExactly("2026-07-28");
        UpstreamCatalog legacyOnly = new UpstreamCatalog(List.of(UpstreamSpec.of(legacy).withEra(UpstreamEra.LEGACY), UpstreamSpec.of(auto)),
                SelectionStrategy.ROUND_ROBIN, BreakerPolicy.defaults(), HealthCheckPolicy.defaults(), Instant::now);
        legacyOnly.recordEra("auto", EraVerdict.ofDiscoverResult(List.of("2025-11-25")));
        assertThat(legacyOnly.versionsServed()).as("no modern upstream: the 2025 versions, the dual-era client's cue to fall back")
                .containsExactly("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");
        assertThat(catalog.eraOf("new")).contains("modern");
        assertThat(catalog.eraOf("old")).contains("legacy");
        assertThat(catalog.eraOf("nobody")).isEmpty();
    }

    @Test
    void theUpstreamsStatusSaysWhatIsKnownOfItsEras() {
        UpstreamStatus.Era before = timed.status().getFirst().era();
        assertThat(before.describe()).isEqualTo("unknown, not probed yet");
        assertThat(before.serves()).isEqualTo("unknown");

        relay.upstream().thenAnswer(UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.CONNECT)).thenAnswer(UpstreamReplies.json(DISCOVERED));
        timedProbe.probeUnjudged();
        UpstreamStatus.Era down = timed.status().getFirst().era();
        assertThat(down.describe()).isEqualTo("unknown, no probe answered yet");
        assertThat(down.probedAt()).contains(clock.now());
        clock.advance(EraProbe.RETRY_UNKNOWN.plusSeconds(1));
        timedProbe.refresh();
        UpstreamStatus.Era judged = timed.status().getFirst().era();
        assertThat(judged.describe()).isEqualTo("modern (2026-07-28, 2025-11-25), probed");
        assertThat(judged.serves()).isEqualTo("modern");
        assertThat(judged.configured()).isEqualTo(UpstreamEra.AUTO);

        UpstreamTarget stdio = new UpstreamTarget("local", new UpstreamTransport.Stdio("server", List.of(), java.util.Map.of(), Optional.empty()));
        UpstreamCatalog configured = new UpstreamCatalog(List.of(UpstreamSpec.of(stdio),
                UpstreamSpec.of(new UpstreamTarget("old", URI.create("http://old.test/mcp"))).withEra(UpstreamEra.LEGACY),
                UpstreamSpec.of(new UpstreamTarget("both", URI.create("http://both.test/mcp"))).withEra(UpstreamEra.DUAL)),
                SelectionStrategy.ROUND_ROBIN, BreakerPolicy.defaults(), HealthCheckPolicy.defaults(), Instant::now);
        assertThat(configured.status()).extracting(u -> u.era().describe()).containsExactly("legacy (stdio)", "legacy, configured", "dual, configured");
        assertThat(configured.status()).extracting(u -> u.era().serves()).containsExactly("legacy", "legacy", "dual");
    }

    @Test
    void aLongLivedCallTakesAStreamsPlace() {
        UpstreamSession session = UpstreamSession.stateless(RelayHarness.PRIMARY, io.mcprelay.application.port.out.upstream.ClientContext.NONE);
        assertThat(new UpstreamCall(session, new io.mcprelay.domain.jsonrpc.JsonRpcPayload.Single(new io.mcprelay.domain.jsonrpc.JsonRpcMessage.Notification("x", io.mcprelay.domain.jsonrpc.McpFacts.NONE)), new byte[0]).longLived()).isFalse();
        assertThat(session.established()).isFalse();
    }

    /** An upstream port whose every call but those a test overrides fails. */
    private abstract static class ThrowingUpstream implements UpstreamPort {
        @Override
        public UpstreamReply listen(UpstreamSession session) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UpstreamReply end(UpstreamSession session) {
            throw new UnsupportedOperationException();
        }
    }
}
