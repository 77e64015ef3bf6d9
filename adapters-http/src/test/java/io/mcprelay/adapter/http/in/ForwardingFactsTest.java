package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardingFactsTest {

    @Test
    void trustedProxiesMatchTheirBlocksInBothFamilies() {
        TrustedProxies trusted = TrustedProxies.parse(List.of("10.0.0.0/8", "192.168.1.7", " fd00::/8 ", "172.16.5.0/23"));

        assertThat(trusted.trusts("10.255.3.4")).isTrue();
        assertThat(trusted.trusts("11.0.0.1")).isFalse();
        assertThat(trusted.trusts("192.168.1.7")).isTrue();
        assertThat(trusted.trusts("192.168.1.8")).isFalse();
        assertThat(trusted.trusts("fd12::1")).isTrue();
        assertThat(trusted.trusts("fe80::1")).isFalse();
        assertThat(trusted.trusts("172.16.4.9")).isTrue();
        assertThat(trusted.trusts("172.16.6.1")).isFalse();
        assertThat(trusted.trusts("-")).isFalse();
        assertThat(trusted.trusts("example.com")).as("never a DNS lookup").isFalse();
        assertThat(trusted.trusts(null)).isFalse();
        assertThat(trusted.blocks()).containsExactly("10.0.0.0/8", "192.168.1.7/32", "fd00:0:0:0:0:0:0:0/8", "172.16.4.0/23");
        assertThat(TrustedProxies.NONE.trusts("127.0.0.1")).isFalse();
        assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy.example", "10.0.0.0/33", "10.0.0.0/x", "", "::1/129", "1.2.3"})
    void aBlockThatIsNotOneIsRefused(String text) {
        assertThatThrownBy(() -> TrustedProxies.parse(List.of(text))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreWhatTheRelaySaw() {
        assertThat(ForwardedHeaders.of("10.0.0.1", false, Optional.of("1.1.1.1"), Optional.of("https"), Optional.of("x.example"),
                Optional.of("relay:8080"), "http"))
                .containsExactly(entry(ForwardedHeaders.FOR, "10.0.0.1"), entry(ForwardedHeaders.PROTO, "http"), entry(ForwardedHeaders.HOST, "relay:8080"));
        assertThat(ForwardedHeaders.of("10.0.0.1", false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("bad host!"), "https"))
                .doesNotContainKey(ForwardedHeaders.HOST).containsEntry(ForwardedHeaders.PROTO, "https");
    }

    @Test
    void forwardedHeadersFromATrustedPeerAreReadWhenTheyAreValid() {
        assertThat(ForwardedHeaders.of("10.0.0.1", true, Optional.of("1.1.1.1, [2001:db8::1]"), Optional.of("https"), Optional.of("x.example"),
                Optional.of("relay"), "http"))
                .containsEntry(ForwardedHeaders.FOR, "1.1.1.1, [2001:db8::1], 10.0.0.1").containsEntry(ForwardedHeaders.PROTO, "https")
                .containsEntry(ForwardedHeaders.HOST, "x.example");
        assertThat(ForwardedHeaders.of("10.0.0.1", true, Optional.of("1.1.1.1".repeat(200)), Optional.of("ftp"), Optional.of("a/b"),
                Optional.of("relay"), "http"))
                .containsEntry(ForwardedHeaders.FOR, "10.0.0.1").containsEntry(ForwardedHeaders.PROTO, "http")
                .containsEntry(ForwardedHeaders.HOST, "relay");
    }

    @Test
    void requestIdsAreKeptOnlyWhenPlainAndBounded() {
        assertThat(RequestIds.keepOrMint(List.of("abc-123_x.y:z/+=@~"))).isEqualTo("abc-123_x.y:z/+=@~");
        assertThat(RequestIds.keepOrMint(List.of("a".repeat(RequestIds.MAX_LENGTH)))).hasSize(RequestIds.MAX_LENGTH);
        assertThat(RequestIds.keepOrMint(List.of("a".repeat(RequestIds.MAX_LENGTH + 1)))).matches("[0-9a-f]{32}");
        assertThat(RequestIds.keepOrMint(List.of("a b"))).matches("[0-9a-f]{32}");
        assertThat(RequestIds.keepOrMint(List.of("a\r\nX-Evil: 1"))).matches("[0-9a-f]{32}");
        assertThat(RequestIds.keepOrMint(List.of("é"))).matches("[0-9a-f]{32}");
        assertThat(RequestIds.keepOrMint(List.of())).matches("[0-9a-f]{32}");
        assertThat(RequestIds.keepOrMint(List.of("a", "b"))).matches("[0-9a-f]{32}");
        assertThat(RequestIds.valid("")).isFalse();
        assertThat(RequestIds.mint()).isNotEqualTo(RequestIds.mint());
    }

    @Test
    void aBodyGivesTheSpanItsNameAndMetaContextOnlyWhenItIsOneRequest() {
        TraceBody call = TraceBody.read(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"_meta\":{\"traceparent\":\"tp\",\"tracestate\":\"ts\",\"baggage\":7}}}").getBytes());
        assertThat(call.spanName()).hasValue("tools/call echo");
        assertThat(call.meta().fields()).containsOnlyKeys("traceparent", "tracestate");
        assertThat(TraceBody.read("[{\"method\":\"a\"}]".getBytes())).isEqualTo(TraceBody.NOTHING);
        assertThat(TraceBody.read("{\"id\":1,\"result\":{}}".getBytes())).isEqualTo(TraceBody.NOTHING);
        assertThat(TraceBody.read("{nope".getBytes())).isEqualTo(TraceBody.NOTHING);
        assertThat(TraceBody.read("{\"method\":\"ping\",\"params\":[]}".getBytes()).spanName()).hasValue("ping");
    }

    private static java.util.Map.Entry<String, String> entry(String k, String v) {
        return java.util.Map.entry(k, v);
    }
}
