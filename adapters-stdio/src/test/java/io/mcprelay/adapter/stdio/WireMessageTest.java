package io.mcprelay.adapter.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireMessageTest {

    @Test
    void aRequestWithAProgressTokenInItsMeta() {
        WireMessage m = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"_meta\":{\"progressToken\":\"t1\"}}}");
        assertThat(m.message()).isInstanceOf(JsonRpcMessage.Request.class);
        assertThat(((JsonRpcMessage.Request) m.message()).id()).isEqualTo(new RequestId.NumericId("7"));
        assertThat(m.progressToken()).contains("s:t1");
    }

    @Test
    void aProgressNotificationCarriesItsTokenAndNumbersAndStringsDiffer() {
        WireMessage m = Wire.of("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":0.5}}");
        assertThat(m.progressToken()).contains("n:1");
        assertThat(Wire.of("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"1\"}}").progressToken())
                .contains("s:1");
    }

    @Test
    void otherNotificationsCarryNoToken() {
        WireMessage m = Wire.of("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"progressToken\":1}}");
        assertThat(m.progressToken()).isEmpty();
    }

    @Test
    void responsesKeepTheirIdExactlyAndTheBytesAreUnchanged() {
        String json = "{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,\"result\":{\"protocolVersion\":\"2025-06-18\"}}";
        WireMessage m = Wire.of(json);
        assertThat(m.message()).isEqualTo(new JsonRpcMessage.Response(new RequestId.NumericId("12345678901234567890"),
                m.message().facts()));
        assertThat(m.message().facts().protocolVersion()).contains("2025-06-18");
        assertThat(Wire.text(m)).isEqualTo(json);
    }

    @Test
    void anErrorWithANullId() {
        WireMessage m = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error\"}}");
        assertThat(m.message()).isEqualTo(new JsonRpcMessage.ErrorResponse(Optional.empty(), -32700, "parse error"));
    }

    @Test
    void stringsWithEscapesAreDecoded() {
        WireMessage m = Wire.of("{\"jsonrpc\":\"2.0\",\"id\":\"a\\\"b\\u00e9\\n\",\"method\":\"x\"}");
        assertThat(((JsonRpcMessage.Request) m.message()).id()).isEqualTo(new RequestId.StringId("a\"bé\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Server started on stdio",
        "{\"jsonrpc\":\"2.0\"",
        "[{\"jsonrpc\":\"2.0\",\"method\":\"x\"}]",
        "{\"jsonrpc\":\"1.0\",\"method\":\"x\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"x\"}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"x\"} trailing",
        "{\"a\":01}",
        "{\"a\":\"\u0001\"}",
        "{\"a\":tru}",
        "{\"a\":\"\\q\"}",
        "{\"a\":1.}",
        "{\"a\":1e}",
        "\"just a string\"",
        ""
    })
    void garbageIsNamed(String line) {
        assertThat(WireMessage.read(line.getBytes(StandardCharsets.UTF_8))).isInstanceOf(WireMessage.Garbage.class);
    }

    @Test
    void invalidUtf8IsGarbage() {
        assertThat(WireMessage.read(new byte[] {'{', (byte) 0xC3, '}'})).isInstanceOf(WireMessage.Garbage.class);
    }

    @Test
    void nestingIsBounded() {
        String deep = "[".repeat(LineJson.MAX_DEPTH + 5) + "]".repeat(LineJson.MAX_DEPTH + 5);
        assertThat(WireMessage.read(("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":" + deep + "}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireMessage.Garbage.class);
        String fine = "[".repeat(10) + "1.5e-3,true,false,null,{}" + "]".repeat(10);
        assertThat(WireMessage.read(("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":" + fine + "}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireMessage.Parsed.class);
    }
}
