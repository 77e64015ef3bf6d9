package io.mcprelay.domain.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.ProxySessionId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which buckets a message draws from, and how a refusal names its limit. */
class RateLimitsTest {

    private static final RateLimit PER_CALLER = RateLimit.of(5, Duration.ofSeconds(1));
    private static final RateLimit SEARCH = RateLimit.of(2, Duration.ofSeconds(1));
    private static final RateLimit GLOBAL = RateLimit.of(100, Duration.ofSeconds(1));
    private static final RateLimits ALL = new RateLimits(Optional.of(PER_CALLER), Map.of("search", SEARCH), Optional.of(GLOBAL),
            OutagePolicy.OPEN);
    private static final Caller CALLER = Caller.ofSession(new ProxySessionId("abc"));

    @Test
    void offByDefault() {
        assertThat(RateLimits.OFF.isOff()).isTrue();
        assertThat(RateLimits.OFF.onOutage()).isEqualTo(OutagePolicy.OPEN);
        assertThat(RateLimits.OFF.charges(CALLER, single(call("search")))).isEmpty();
        assertThat(ALL.isOff()).isFalse();
        assertThat(new RateLimits(Optional.empty(), Map.of("x", SEARCH), Optional.empty(), OutagePolicy.CLOSED).isOff()).isFalse();
    }

    @Test
    void aToolCallDrawsFromTheCallersThenTheToolsThenTheGlobalBucket() {
        List<Charge> charges = ALL.charges(CALLER, single(call("search")));
        assertThat(charges).extracting(Charge::kind).containsExactly(LimitKind.PER_PRINCIPAL, LimitKind.PER_TOOL, LimitKind.GLOBAL);
        assertThat(charges).extracting(Charge::bucket).containsExactly("principal:session:abc", "tool:search", "global");
        assertThat(charges).extracting(Charge::limit).containsExactly(PER_CALLER, SEARCH, GLOBAL);
        assertThat(charges).extracting(Charge::tokens).containsOnly(1L);
    }

    @Test
    void toolsWithoutALimitAndOtherMethodsDrawOnlyFromTheCallersAndGlobalBuckets() {
        assertThat(ALL.charges(CALLER, single(call("other")))).extracting(Charge::kind)
                .containsExactly(LimitKind.PER_PRINCIPAL, LimitKind.GLOBAL);
        assertThat(ALL.charges(CALLER, single(request("tools/list", McpFacts.NONE)))).extracting(Charge::kind)
                .containsExactly(LimitKind.PER_PRINCIPAL, LimitKind.GLOBAL);
    }

    @Test
    void notificationsAndResponsesTakeNoToken() {
        JsonRpcMessage notification = new JsonRpcMessage.Notification("notifications/cancelled", McpFacts.NONE);
        JsonRpcMessage response = new JsonRpcMessage.Response(new RequestId.NumericId("7"), McpFacts.NONE);
        assertThat(ALL.charges(CALLER, single(notification))).isEmpty();
        assertThat(ALL.charges(CALLER, new JsonRpcPayload.Batch(List.of(notification, response)))).isEmpty();
    }

    @Test
    void aBatchTakesOneTokenPerRequest() {
        JsonRpcPayload batch = new JsonRpcPayload.Batch(List.of(call("search"), call("search"), call("other"),
                new JsonRpcMessage.Notification("notifications/progress", McpFacts.NONE)));
        List<Charge> charges = ALL.charges(CALLER, batch);
        assertThat(charges).extracting(Charge::kind).containsExactly(LimitKind.PER_PRINCIPAL, LimitKind.PER_TOOL, LimitKind.GLOBAL);
        assertThat(charges).extracting(Charge::tokens).containsExactly(3L, 2L, 3L);
    }

    @Test
    void aRefusalNamesItsLimitAndHowLongToWait() {
        Charge tool = ALL.charges(CALLER, single(call("search"))).get(1);
        Rejection refusal = tool.refusal(new TokenGrant.Denied(Duration.ofMillis(1200)));
        assertThat(refusal.reason()).isEqualTo(RejectionReason.RATE_LIMITED);
        assertThat(refusal.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(refusal.detail()).contains("per-tool limit of tool search").contains("2/1s").contains("retry after 2 s");
        assertThat(refusal.dataJson()).contains("{\"limit\":\"per-tool\",\"tool\":\"search\",\"rate\":\"2/1s\",\"retryAfterSeconds\":2}");

        Charge caller = ALL.charges(CALLER, single(call("search"))).getFirst();
        assertThat(caller.refusal(new TokenGrant.Denied(Duration.ofMillis(10))).dataJson())
                .contains("{\"limit\":\"per-principal\",\"rate\":\"5/1s\",\"retryAfterSeconds\":1}");
        assertThat(refusal.answering(new RequestId.NumericId("3")).retryAfter()).as("kept when answering a request")
                .contains(Duration.ofSeconds(2));
    }

    @Test
    void toolNamesAreEscapedInTheErrorData() {
        RateLimits odd = new RateLimits(Optional.empty(), Map.of("a\"b\\c\u0001", SEARCH), Optional.empty(), OutagePolicy.OPEN);
        Charge charge = odd.charges(CALLER, single(call("a\"b\\c\u0001"))).getFirst();
        assertThat(charge.refusal(new TokenGrant.Denied(Duration.ofSeconds(1))).dataJson().orElseThrow())
                .contains("\"tool\":\"a\\\"b\\\\c\\u0001\"");
    }

    @Test
    void callersOfEachKindHaveTheirOwnBuckets() {
        assertThat(Caller.ofPrincipal("alice").bucketKey()).isEqualTo("principal:alice");
        assertThat(Caller.ofSession(new ProxySessionId("alice")).bucketKey()).isEqualTo("session:alice");
        assertThat(Caller.Kind.PRINCIPAL.label()).isEqualTo("principal");
        assertThatThrownBy(() -> Caller.ofPrincipal("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Caller.ofPrincipal("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Caller.ofPrincipal("x".repeat(Caller.MAX_ID_LENGTH + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimits(Optional.empty(), Map.of(" ", SEARCH), Optional.empty(), OutagePolicy.OPEN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Charge(LimitKind.GLOBAL, "global", GLOBAL, 0, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static JsonRpcPayload single(JsonRpcMessage message) {
        return new JsonRpcPayload.Single(message);
    }

    private static JsonRpcMessage call(String tool) {
        return request("tools/call", new McpFacts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(tool)));
    }

    private static int ids;

    private static JsonRpcMessage request(String method, McpFacts facts) {
        return new JsonRpcMessage.Request(new RequestId.NumericId(Integer.toString(++ids)), method, facts);
    }
}
