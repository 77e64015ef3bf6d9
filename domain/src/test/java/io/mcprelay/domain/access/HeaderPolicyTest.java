package io.mcprelay.domain.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderPolicyTest {

    private final HeaderPolicy defaults = HeaderPolicy.defaults();
    private final HeaderPolicy withCredentials = new HeaderPolicy(true);

    @Test
    void defaultsDoNotForwardCredentials() {
        assertThat(defaults.forwardCredentials()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Accept", "content-type", "MCP-Protocol-Version", "mcp-protocol-version", "User-Agent",
            "Mcp-Method", "mcp-name", "MCP-PARAM-Region"})
    void forwardsMcpHeadersUpstreamIgnoringCase(String name) {
        assertThat(defaults.forwardsUpstream(name)).isTrue();
        assertThat(withCredentials.forwardsUpstream(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Request-Id", "x-forwarded-for", "X-Forwarded-Proto", "X-Forwarded-Host", "traceparent", "TraceState", "baggage"})
    void forwardsTheRequestFactsTheInboundAdapterSetsAndTraceContext(String name) {
        assertThat(defaults.forwardsUpstream(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Forwarded", "X-Real-IP", "Host", "Connection"})
    void doesNotForwardOtherProxyHeaders(String name) {
        assertThat(defaults.forwardsUpstream(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mcp-Session-Id", "mcp-session-id", "MCP-SESSION-ID", "Last-Event-ID", "last-event-id"})
    void neverForwardsSessionIdOrLastEventIdUpstream(String name) {
        assertThat(defaults.forwardsUpstream(name)).isFalse();
        assertThat(withCredentials.forwardsUpstream(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "authorization", "Cookie", "COOKIE"})
    void forwardsCredentialsOnlyWhenConfigured(String name) {
        assertThat(defaults.forwardsUpstream(name)).isFalse();
        assertThat(withCredentials.forwardsUpstream(name)).isTrue();
    }

    @Test
    void neverForwardsTheClientsBearerTokenWhenClientsAuthenticateToTheRelay() {
        HeaderPolicy policy = new HeaderPolicy(true, true);
        assertThat(policy.forwardsUpstream("Authorization")).isFalse();
        assertThat(policy.forwardedUpstream("authorization", "Bearer abc")).isEmpty();
        assertThat(policy.forwardsUpstream("Cookie")).as("cookies still follow --forward-credentials").isTrue();
        assertThat(new HeaderPolicy(false, true).forwardsUpstream("Authorization")).isFalse();
    }

    @Test
    void neverForwardsProxyCredentials() {
        assertThat(defaults.forwardsUpstream("Proxy-Authorization")).isFalse();
        assertThat(withCredentials.forwardsUpstream("Proxy-Authorization")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "Connection", "Transfer-Encoding", "Content-Length", "Origin", "Keep-Alive", "TE"})
    void dropsOtherHeadersGoingUpstream(String name) {
        assertThat(withCredentials.forwardsUpstream(name)).isFalse();
    }

    @Test
    void passesUnknownMcpHeadersDownstreamButNeverTheUpstreamSessionId() {
        assertThat(defaults.forwardsDownstream("Mcp-Custom")).isTrue();
        assertThat(defaults.forwardsDownstream("MCP-Protocol-Version")).isTrue();
        assertThat(defaults.forwardsDownstream("Mcp-Session-Id")).isFalse();
        assertThat(defaults.forwardsDownstream("mcp-session-id")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Set-Cookie", "Content-Type", "Content-Length", "Server", "Last-Event-ID", "WWW-Authenticate"})
    void dropsOtherHeadersComingDownstream(String name) {
        assertThat(withCredentials.forwardsDownstream(name)).isFalse();
    }

    @Test
    void relaysOwnCookiesNeverReachTheUpstream() {
        assertThat(withCredentials.forwardedUpstream("Cookie", "a=1; mcp_relay_admin=secret; b=2")).hasValue("a=1; b=2");
        assertThat(withCredentials.forwardedUpstream("cookie", "MCP_RELAY_admin=x;mcp_relay_other=y")).isEmpty();
        assertThat(withCredentials.forwardedUpstream("Cookie", " ; a=1 ;")).hasValue("a=1");
        assertThat(withCredentials.forwardedUpstream("Cookie", "mcp_relayed=1")).hasValue("mcp_relayed=1");
    }

    @Test
    void forwardedValuesFollowTheNameRules() {
        assertThat(withCredentials.forwardedUpstream("Authorization", "Bearer t")).hasValue("Bearer t");
        assertThat(defaults.forwardedUpstream("Cookie", "a=1")).isEmpty();
        assertThat(defaults.forwardedUpstream("Mcp-Session-Id", "s")).isEmpty();
        assertThat(defaults.forwardedUpstream("Accept", "text/event-stream")).hasValue("text/event-stream");
    }
}
