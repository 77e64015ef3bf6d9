package io.mcprelay.domain.bridge;

import static io.mcprelay.domain.bridge.JsonText.parseObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.mcprelay.domain.bridge.RoutingHeaders.HeaderProperty;
import io.mcprelay.domain.bridge.RoutingHeaders.SchemaHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutingHeadersTest {

    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{}}";

    @Test
    void readsTheHeaderDeclarationsOfASchema() {
        JsonValue.Obj schema = parseObject("""
                {"type":"object","properties":{
                  "region":{"type":"string","x-mcp-header":"Region"},
                  "count":{"type":"integer","x-mcp-header":"Count"},
                  "dry":{"type":"boolean","x-mcp-header":"Dry-Run"},
                  "plain":{"type":"string"},
                  "nested":{"type":"object","properties":{"tenant":{"type":"string","x-mcp-header":"Tenant"}}}},
                 "required":["region"]}""");

        assertThat(RoutingHeaders.headerProperties(schema)).isEqualTo(new SchemaHeaders.Valid(List.of(
                new HeaderProperty("Region", List.of("region")),
                new HeaderProperty("Count", List.of("count")),
                new HeaderProperty("Dry-Run", List.of("dry")),
                new HeaderProperty("Tenant", List.of("nested", "tenant")))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\",\"x-mcp-header\":\"A\"}}}",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"x-mcp-header\":\"A\"}}}",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"\"}}}",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"Bad Name\"}}}",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":7}}}",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"A\"},\"b\":{\"type\":\"string\",\"x-mcp-header\":\"a\"}}}",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"x-mcp-header\":\"A\"}}}}",
        "{\"type\":\"object\",\"oneOf\":[{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"A\"}}}]}",
        "{\"type\":\"object\",\"$defs\":{\"d\":{\"type\":\"string\",\"x-mcp-header\":\"A\"}}}",
        "{\"type\":\"string\",\"x-mcp-header\":\"Root\"}"})
    void refusesSchemasThatBreakTheRules(String schema) {
        assertThat(RoutingHeaders.headerProperties(parseObject(schema))).isInstanceOf(SchemaHeaders.Invalid.class);
    }

    @Test
    void derivesTheHeadersOfAToolCall() {
        JsonValue.Obj request = parseObject("""
                {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"deploy",
                 "arguments":{"region":"Hello, 世界","count":42.0,"dry":false,"nested":{"tenant":"acme"},"skipped":null,"big":1.5},
                 %s}}""".formatted(META));
        List<HeaderProperty> declared = List.of(new HeaderProperty("Region", List.of("region")), new HeaderProperty("Count", List.of("count")),
                new HeaderProperty("Dry-Run", List.of("dry")), new HeaderProperty("Tenant", List.of("nested", "tenant")),
                new HeaderProperty("Skipped", List.of("skipped")), new HeaderProperty("Missing", List.of("nested", "nope")),
                new HeaderProperty("Big", List.of("big")), new HeaderProperty("Deep", List.of("region", "x")));

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("MCP-Protocol-Version", "2026-07-28");
        expected.put("Mcp-Method", "tools/call");
        expected.put("Mcp-Name", "deploy");
        expected.put("Mcp-Param-Region", "=?base64?SGVsbG8sIOS4lueVjA==?=");
        expected.put("Mcp-Param-Count", "42");
        expected.put("Mcp-Param-Dry-Run", "false");
        expected.put("Mcp-Param-Tenant", "acme");
        assertThat(RoutingHeaders.derive(request, declared)).containsExactlyEntriesOf(expected);
    }

    @Test
    void integersBeyondTheSafeRangeGetNoHeader() {
        JsonValue.Obj request = parseObject("""
                {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"n":9007199254740992,"m":-9007199254740991}}}""");
        Map<String, String> headers = RoutingHeaders.derive(request,
                List.of(new HeaderProperty("N", List.of("n")), new HeaderProperty("M", List.of("m"))));
        assertThat(headers).doesNotContainKey("Mcp-Param-N").containsEntry("Mcp-Param-M", "-9007199254740991");
        assertThat(headers).doesNotContainKey("MCP-Protocol-Version");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "prompts/get|{\"name\":\"greet\"}|greet",
        "resources/read|{\"uri\":\"file:///a b\"}|file:///a b",
        "tasks/get|{\"taskId\":\"t-1\"}|t-1",
        "tasks/update|{\"taskId\":\"t-2\"}|t-2",
        "tasks/cancel|{\"taskId\":\"t-3\"}|t-3"})
    void derivesMcpNameForTheMethodsThatHaveOne(String method, String params, String name) {
        JsonValue.Obj request = parseObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}");
        assertThat(RoutingHeaders.derive(request, List.of(new HeaderProperty("X", List.of("x")))))
                .containsExactly(entry("Mcp-Method", method), entry("Mcp-Name", name));
    }

    @Test
    void otherMethodsHaveOnlyMcpMethod() {
        assertThat(RoutingHeaders.derive(parseObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"), List.of()))
                .containsExactlyEntriesOf(Map.of("Mcp-Method", "tools/list"));
        assertThat(RoutingHeaders.derive(parseObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{}}"), List.of()))
                .containsExactlyEntriesOf(Map.of("Mcp-Method", "tools/call"));
        assertThatThrownBy(() -> RoutingHeaders.derive(parseObject("{\"jsonrpc\":\"2.0\",\"id\":1}"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "plain-value_1.2|plain-value_1.2",
        "Hello, 世界|=?base64?SGVsbG8sIOS4lueVjA==?=",
        "' padded'|=?base64?IHBhZGRlZA==?=",
        "'padded '|=?base64?cGFkZGVkIA==?=",
        "=?base64?abc?=|=?base64?PT9iYXNlNjQ/YWJjPz0=?="})
    void encodesValuesAHeaderCannotCarryAsTheyAre(String value, String header) {
        assertThat(RoutingHeaders.encode(value)).isEqualTo(header);
        assertThat(RoutingHeaders.decode(header)).contains(value);
    }

    @Test
    void encodesControlCharactersAndKeepsTheEmptyValue() {
        assertThat(RoutingHeaders.encode("a\nb")).isEqualTo("=?base64?YQpi?=");
        assertThat(RoutingHeaders.encode("a\u007fb")).startsWith("=?base64?");
        assertThat(RoutingHeaders.encode("")).isEmpty();
        assertThat(RoutingHeaders.encode("=?base64?")).isEqualTo("=?base64?");
    }

    @Test
    void decodingRefusesABrokenSentinel() {
        assertThat(RoutingHeaders.decode("=?base64?not base64!?=")).isEmpty();
        assertThat(RoutingHeaders.decode("=?base64??=")).contains("");
        assertThat(RoutingHeaders.decode("=?base64?abc")).contains("=?base64?abc");
    }
}
