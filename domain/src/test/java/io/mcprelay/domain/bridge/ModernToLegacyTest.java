package io.mcprelay.domain.bridge;

import static io.mcprelay.domain.bridge.JsonText.parseObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModernToLegacyTest {

    private static final JsonValue.Obj SERVER_INFO = parseObject("{\"name\":\"mcp-servers/everything\",\"version\":\"2.0.0\"}");

    @Test
    void theModernRoutingHeadersAreKnownInAnyCaseAndNothingElse() {
        assertThat(java.util.List.of("MCP-Protocol-Version", "mcp-method", "Mcp-Name", "mcp-param-region", "Mcp-Param-"))
                .allMatch(ModernToLegacy::isModernRouting);
        assertThat(java.util.List.of("traceparent", "Authorization", "Mcp-Session-Id", "Mcp-Par", "X-Mcp-Method"))
                .noneMatch(ModernToLegacy::isModernRouting);
    }

    @Test
    void discoverResultFromAnInitializeResult() {
        JsonValue.Obj initialize = parseObject("""
                {"protocolVersion":"2025-11-25","capabilities":{"tools":{"listChanged":true},"logging":{},"tasks":{"list":{}}},
                 "serverInfo":{"name":"mcp-servers/everything","version":"2.0.0"},"instructions":"Be nice"}""");

        JsonValue.Obj discover = ModernToLegacy.discoverResult(initialize, List.of("2026-07-28"));

        assertThat(discover).isEqualTo(parseObject("""
                {"supportedVersions":["2026-07-28"],"capabilities":{"tools":{"listChanged":true},"logging":{}},
                 "instructions":"Be nice","ttlMs":0,"cacheScope":"private",
                 "_meta":{"io.modelcontextprotocol/serverInfo":{"name":"mcp-servers/everything","version":"2.0.0"}}}"""));
    }

    @Test
    void discoverResultOfAMinimalInitializeResult() {
        JsonValue.Obj discover = ModernToLegacy.discoverResult(parseObject("{\"protocolVersion\":\"2025-06-18\"}"),
                List.of("2026-07-28", "2025-11-25"));
        assertThat(discover).isEqualTo(parseObject("""
                {"supportedVersions":["2026-07-28","2025-11-25"],"capabilities":{},"ttlMs":0,"cacheScope":"private"}"""));
        assertThatThrownBy(() -> ModernToLegacy.discoverResult(discover, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void initializeParamsFromTheEnvelope() {
        ModernEnvelope envelope = new ModernEnvelope("2026-07-28", parseObject("{\"elicitation\":{\"form\":{}},\"extensions\":{\"x\":{}}}"),
                Optional.of(parseObject("{\"name\":\"c\",\"version\":\"1\"}")), Optional.empty());

        assertThat(ModernToLegacy.initializeParams(envelope, "2025-11-25", parseObject("{\"name\":\"fallback\",\"version\":\"0\"}")))
                .isEqualTo(parseObject("""
                        {"protocolVersion":"2025-11-25","capabilities":{"elicitation":{"form":{}}},"clientInfo":{"name":"c","version":"1"}}"""));
    }

    @Test
    void initializeParamsUseTheFallbackClientInfoWhenTheRequestHasNone() {
        ModernEnvelope envelope = new ModernEnvelope("2026-07-28", JsonValue.Obj.EMPTY, Optional.empty(), Optional.empty());
        JsonValue.Obj fallback = parseObject("{\"name\":\"mcp-relay\",\"version\":\"0.1\"}");
        assertThat(ModernToLegacy.initializeParams(envelope, "2025-06-18", fallback).obj("clientInfo")).contains(fallback);
    }

    @Test
    void annotatesCacheableResults() {
        JsonValue.Obj tools = parseObject("{\"tools\":[],\"_meta\":{\"other\":1}}");
        assertThat(ModernToLegacy.annotateResult("tools/list", tools, SERVER_INFO)).isEqualTo(parseObject("""
                {"tools":[],"_meta":{"other":1,"io.modelcontextprotocol/serverInfo":{"name":"mcp-servers/everything","version":"2.0.0"}},
                 "resultType":"complete","ttlMs":0,"cacheScope":"private"}"""));
    }

    @Test
    void annotatesOtherResultsWithoutCacheHintsAndKeepsWhatTheUpstreamSet() {
        JsonValue.Obj call = parseObject("{\"content\":[],\"resultType\":\"complete\"}");
        JsonValue.Obj annotated = ModernToLegacy.annotateResult("tools/call", call, SERVER_INFO);
        assertThat(annotated.get("ttlMs")).isEmpty();
        assertThat(annotated.str("resultType")).contains("complete");
        assertThat(annotated.obj("_meta").orElseThrow().obj(ModernEnvelope.SERVER_INFO)).contains(SERVER_INFO);

        JsonValue.Obj read = parseObject("{\"contents\":[],\"ttlMs\":5000,\"cacheScope\":\"public\"}");
        JsonValue.Obj readAnnotated = ModernToLegacy.annotateResult("resources/read", read, SERVER_INFO);
        assertThat(readAnnotated.get("ttlMs")).contains(JsonValue.Num.of(5000));
        assertThat(readAnnotated.str("cacheScope")).contains("public");
    }

    @Test
    void mapsResourceNotFoundToInvalidParams() {
        assertThat(ModernToLegacy.annotateError(parseObject("{\"code\":-32002,\"message\":\"Resource not found\"}")))
                .isEqualTo(parseObject("{\"code\":-32602,\"message\":\"Resource not found\"}"));
        JsonValue.Obj other = parseObject("{\"code\":-32601,\"message\":\"Method not found\"}");
        assertThat(ModernToLegacy.annotateError(other)).isSameAs(other);
        JsonValue.Obj fraction = parseObject("{\"code\":-32002.5}");
        assertThat(ModernToLegacy.annotateError(fraction)).isSameAs(fraction);
        JsonValue.Obj noCode = parseObject("{\"code\":\"x\"}");
        assertThat(ModernToLegacy.annotateError(noCode)).isSameAs(noCode);
    }

    @Test
    void poolKeyTreatsEqualCapabilitySetsAlike() {
        ModernEnvelope a = new ModernEnvelope("2026-07-28", parseObject("{\"sampling\":{},\"elicitation\":{\"form\":{}}}"),
                Optional.empty(), Optional.empty());
        ModernEnvelope b = new ModernEnvelope("2026-07-28", parseObject("{\"elicitation\":{\"form\":{}},\"sampling\":{}}"),
                Optional.of(SERVER_INFO), Optional.of("debug"));
        ModernEnvelope c = new ModernEnvelope("2026-07-28", parseObject("{\"elicitation\":{}}"), Optional.empty(), Optional.empty());

        assertThat(ModernToLegacy.PoolKey.of("everything", "alice", a)).isEqualTo(ModernToLegacy.PoolKey.of("everything", "alice", b));
        assertThat(ModernToLegacy.PoolKey.of("everything", "alice", a)).isNotEqualTo(ModernToLegacy.PoolKey.of("everything", "bob", a));
        assertThat(ModernToLegacy.PoolKey.of("everything", "alice", a)).isNotEqualTo(ModernToLegacy.PoolKey.of("other", "alice", a));
        assertThat(ModernToLegacy.PoolKey.of("everything", "alice", a)).isNotEqualTo(ModernToLegacy.PoolKey.of("everything", "alice", c));
    }
}
