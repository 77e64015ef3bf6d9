package io.mcprelay.domain.bridge;

import static io.mcprelay.domain.bridge.JsonText.parseObject;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModernEnvelopeTest {

    @Test
    void stripsTheReservedKeysAndKeepsTheOthers() {
        JsonValue.Obj request = parseObject("""
                {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"},
                 "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
                          "io.modelcontextprotocol/clientCapabilities":{"elicitation":{}},
                          "io.modelcontextprotocol/clientInfo":{"name":"c","version":"1"},
                          "io.modelcontextprotocol/logLevel":"info",
                          "io.modelcontextprotocol/somethingNew":true,
                          "progressToken":"p1"}}}""");

        ModernEnvelope.Stripped stripped = ModernEnvelope.strip(request).orElseThrow();

        assertThat(stripped.request()).isEqualTo(parseObject("""
                {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"},
                 "_meta":{"progressToken":"p1"}}}"""));
        assertThat(stripped.envelope()).isEqualTo(new ModernEnvelope("2026-07-28", parseObject("{\"elicitation\":{}}"),
                Optional.of(parseObject("{\"name\":\"c\",\"version\":\"1\"}")), Optional.of("info")));
    }

    @Test
    void dropsMetaWhenOnlyReservedKeysWereInIt() {
        JsonValue.Obj request = parseObject("""
                {"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{
                 "io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}""");
        ModernEnvelope.Stripped stripped = ModernEnvelope.strip(request).orElseThrow();
        assertThat(stripped.request()).isEqualTo(parseObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}"));
        assertThat(stripped.envelope().clientInfo()).isEmpty();
        assertThat(stripped.envelope().logLevel()).isEmpty();
    }

    @Test
    void aRequestWithoutTheRequiredKeysHasNoEnvelope() {
        assertThat(ModernEnvelope.strip(parseObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))).isEmpty();
        assertThat(ModernEnvelope.strip(parseObject("""
                {"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""")))
                .isEmpty();
        assertThat(ModernEnvelope.strip(parseObject("""
                {"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"io.modelcontextprotocol/clientCapabilities":{}}}}""")))
                .isEmpty();
    }

    @Test
    void appliesTheEnvelopeOverAnyReservedKeysTheRequestHad() {
        ModernEnvelope envelope = new ModernEnvelope("2026-07-28", parseObject("{\"roots\":{}}"),
                Optional.of(parseObject("{\"name\":\"legacy-client\",\"version\":\"3\"}")), Optional.empty()).withLogLevel("warning");
        JsonValue.Obj request = parseObject("""
                {"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"echo",
                 "_meta":{"progressToken":5,"io.modelcontextprotocol/protocolVersion":"2025-11-25"}}}""");

        assertThat(envelope.applyTo(request)).isEqualTo(parseObject("""
                {"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"echo",
                 "_meta":{"progressToken":5,"io.modelcontextprotocol/protocolVersion":"2026-07-28",
                          "io.modelcontextprotocol/clientCapabilities":{"roots":{}},
                          "io.modelcontextprotocol/clientInfo":{"name":"legacy-client","version":"3"},
                          "io.modelcontextprotocol/logLevel":"warning"}}}"""));
    }

    @Test
    void appliesTheEnvelopeToARequestWithoutParams() {
        ModernEnvelope envelope = new ModernEnvelope("2026-07-28", JsonValue.Obj.EMPTY, Optional.empty(), Optional.empty());
        assertThat(envelope.applyTo(parseObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))).isEqualTo(parseObject("""
                {"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{
                 "io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"""));
    }
}
