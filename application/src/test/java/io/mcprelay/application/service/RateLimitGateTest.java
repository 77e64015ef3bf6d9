package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.Messages;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.out.RateLimitPort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.limit.OutagePolicy;
import io.mcprelay.domain.limit.RateLimit;
import io.mcprelay.domain.limit.RateLimits;
import io.mcprelay.domain.limit.TokenGrant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The rate limits as RelayService applies them: refused requests never reach the upstream and are
 * answered with the limit named; a store outage lets requests through or refuses them, as configured.
 */
class RateLimitGateTest {

    private static final RateLimit TWO_PER_MINUTE = RateLimit.of(2, Duration.ofMinutes(1));

    /** Counts tokens per bucket (never refilling: the tests run within a second), or fails while down. */
    private static final class CountingBuckets implements RateLimitPort {
        final Map<String, Long> taken = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        boolean down;

        @Override
        public synchronized TokenGrant take(String bucket, RateLimit limit, long tokens) {
            asked.add(bucket);
            if (down) {
                throw new StoreUnavailableException("test store down", new IllegalStateException());
            }
            long now = taken.getOrDefault(bucket, 0L);
            if (now + tokens > limit.burst()) {
                return new TokenGrant.Denied(Duration.ofMillis(29_500));
            }
            taken.put(bucket, now + tokens);
            return TokenGrant.GRANTED;
        }
    }

    private final CountingBuckets buckets = new CountingBuckets();

    private RelayHarness relay(RateLimits limits) {
        RelayHarness relay = RelayHarness.builder().rateLimits(limits, buckets).build();
        relay.sessions().holding(aSession().withId("s-1").build());
        relay.sessions().holding(aSession().withId("s-2").build());
        relay.upstream().otherwiseAnswer(request -> json(Messages.result("1")));
        return relay;
    }

    private static RateLimits perPrincipal(OutagePolicy outage) {
        return new RateLimits(Optional.of(TWO_PER_MINUTE), Map.of(), Optional.empty(), outage);
    }

    @Test
    void replacedLimitsHoldFromTheNextRequestOnAndNoLimitAsksTheStoreNothing() {
        RateLimitGate gate = new RateLimitGate(RateLimits.OFF, buckets, new io.mcprelay.application.fixtures.CountingMetrics());
        io.mcprelay.domain.limit.Caller caller = io.mcprelay.domain.limit.Caller.ofSession(new io.mcprelay.domain.session.ProxySessionId("s-1"));
        io.mcprelay.domain.jsonrpc.JsonRpcPayload ping = new io.mcprelay.domain.jsonrpc.JsonRpcPayload.Single(
                new io.mcprelay.domain.jsonrpc.JsonRpcMessage.Request(new RequestId.NumericId("1"), "ping", io.mcprelay.domain.jsonrpc.McpFacts.NONE));

        assertThat(gate.admit(caller, ping)).as("off").isEmpty();
        assertThat(buckets.asked).as("no limit, no store call").isEmpty();

        gate.replace(perPrincipal(OutagePolicy.OPEN));
        assertThat(gate.limits()).isEqualTo(perPrincipal(OutagePolicy.OPEN));
        assertThat(gate.admit(caller, ping)).isEmpty();
        assertThat(gate.admit(caller, ping)).isEmpty();
        assertThat(gate.admit(caller, ping)).as("two a minute").hasValueSatisfying(
                refusal -> assertThat(refusal.reason()).isEqualTo(RejectionReason.RATE_LIMITED));

        gate.replace(RateLimits.OFF);
        assertThat(gate.admit(caller, ping)).as("off again").isEmpty();
        assertThat(buckets.asked).hasSize(3);
    }

    @Test
    void aSessionOverItsBucketIsRefusedWithTheLimitNamedAndNeverReachesTheUpstream() {
        RelayHarness relay = relay(perPrincipal(OutagePolicy.OPEN));
        relay.post(aPost(Messages.request("1", "ping")).inSession("s-1").build());
        relay.post(aPost(Messages.request("2", "ping")).inSession("s-1").build());

        RecordingDownstream third = relay.post(aPost(Messages.request("3", "ping")).inSession("s-1").build());

        assertThat(third.rejection().reason()).isEqualTo(RejectionReason.RATE_LIMITED);
        assertThat(third.rejection().requestId()).contains(new RequestId.NumericId("3"));
        assertThat(third.rejection().retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(third.rejection().dataJson()).hasValueSatisfying(data -> assertThat(data).contains("\"limit\":\"per-principal\""));
        assertThat(relay.upstream().requestCount()).isEqualTo(2);
        assertThat(relay.metrics().limited).containsExactly("per-principal/session");
        assertThat(buckets.asked).containsOnly("principal:session:s-1");

        assertThat(relay.post(aPost(Messages.request("4", "ping")).inSession("s-2").build()).status())
                .as("another session has its own bucket").isEqualTo(200);
        assertThat(relay.post(aPost(Messages.notification("notifications/cancelled")).inSession("s-1").build()).status())
                .as("a notification takes no token: relayed to the upstream").isEqualTo(200);
        assertThat(relay.upstream().requestCount()).isEqualTo(4);
    }

    @Test
    void aStreamAdmittedBeforeTheBucketEmptiedRunsToItsEnd() {
        RelayHarness relay = relay(perPrincipal(OutagePolicy.OPEN));
        AtomicReference<RecordingDownstream> limitedMeanwhile = new AtomicReference<>();
        relay.upstream().thenAnswer(request -> {
            relay.post(aPost(Messages.request("2", "ping")).inSession("s-1").build());
            limitedMeanwhile.set(relay.post(aPost(Messages.request("3", "ping")).inSession("s-1").build()));
            return eventStream(ScriptedEventSource.of(ScriptedEventSource.event("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}"),
                    ScriptedEventSource.event(Messages.result("1")), ScriptedEventSource.end()));
        });

        RecordingDownstream stream = relay.post(aPost(Messages.request("1", "tools/call")).inSession("s-1").build());

        assertThat(limitedMeanwhile.get().rejection().reason()).isEqualTo(RejectionReason.RATE_LIMITED);
        assertThat(stream.answer()).isEqualTo(RecordingDownstream.Answer.EVENT_STREAM);
        assertThat(stream.events()).as("the open stream was not cut").hasSize(2);
    }

    @Test
    void aToolsBucketIsSharedByEverySessionAndCheckedAfterTheCallersOwn() {
        RelayHarness relay = relay(new RateLimits(Optional.of(RateLimit.of(100, Duration.ofMinutes(1))), Map.of("slow", TWO_PER_MINUTE),
                Optional.of(RateLimit.of(100, Duration.ofMinutes(1))), OutagePolicy.OPEN));
        relay.post(aPost(Messages.toolsCall("1", "slow")).inSession("s-1").build());
        relay.post(aPost(Messages.toolsCall("2", "slow")).inSession("s-2").build());

        RecordingDownstream third = relay.post(aPost(Messages.toolsCall("3", "slow")).inSession("s-1").build());

        assertThat(third.rejection().reason()).isEqualTo(RejectionReason.RATE_LIMITED);
        assertThat(third.rejection().dataJson()).hasValueSatisfying(data -> assertThat(data).contains("\"tool\":\"slow\""));
        assertThat(buckets.asked.subList(0, 3)).containsExactly("principal:session:s-1", "tool:slow", "global");
        assertThat(buckets.taken).containsEntry("global", 2L);
        assertThat(relay.metrics().limited).containsExactly("per-tool/session");
    }

    @Test
    void noLimitsAskNoStore() {
        RelayHarness relay = relay(RateLimits.OFF);
        for (int i = 0; i < 5; i++) {
            assertThat(relay.post(aPost(Messages.request(Integer.toString(i), "ping")).inSession("s-1").build()).status()).isEqualTo(200);
        }
        assertThat(buckets.asked).isEmpty();
        assertThat(RateLimitGate.withoutLimits(relay.metrics()).limits().isOff()).isTrue();
    }

    @Test
    void aStoreOutageFailsOpenCountedAndTheLimitsHoldAgainOnceItIsBack() {
        RelayHarness relay = relay(perPrincipal(OutagePolicy.OPEN));
        buckets.down = true;
        for (int i = 0; i < 4; i++) {
            assertThat(relay.post(aPost(Messages.request(Integer.toString(i), "ping")).inSession("s-1").build()).status()).isEqualTo(200);
        }
        assertThat(relay.metrics().limitCheckFailures).containsExactly("open", "open", "open", "open");

        buckets.down = false;
        relay.post(aPost(Messages.request("5", "ping")).inSession("s-1").build());
        relay.post(aPost(Messages.request("6", "ping")).inSession("s-1").build());
        assertThat(relay.post(aPost(Messages.request("7", "ping")).inSession("s-1").build()).rejection().reason())
                .isEqualTo(RejectionReason.RATE_LIMITED);
    }

    @Test
    void aStoreOutageFailsClosedWithStoreUnavailable() {
        RelayHarness relay = relay(perPrincipal(OutagePolicy.CLOSED));
        buckets.down = true;

        RecordingDownstream refused = relay.post(aPost(Messages.request("1", "ping")).inSession("s-1").build());

        assertThat(refused.rejection().reason()).isEqualTo(RejectionReason.STORE_UNAVAILABLE);
        assertThat(refused.rejection().requestId()).contains(new RequestId.NumericId("1"));
        assertThat(relay.upstream().requestCount()).isZero();
        assertThat(relay.metrics().limitCheckFailures).containsExactly("closed");
        assertThat(relay.post(aPost(Messages.result("9")).inSession("s-1").build()).status())
                .as("a response takes no token: relayed to the upstream").isEqualTo(200);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }
}
