package io.mcprelay.adapter.http.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JacksonMessageCodecAdapterTest {

    private final JacksonMessageCodecAdapter codec = new JacksonMessageCodecAdapter();

    @Test
    void keepsNumericAndStringIdsAsTheirJsonLiterals() {
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"ping\"}").id()).isEqualTo(new RequestId.NumericId("0"));
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":\"0\",\"method\":\"ping\"}").id()).isEqualTo(new RequestId.StringId("0"));
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,\"method\":\"ping\"}").id().toJson())
                .isEqualTo("12345678901234567890");
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":1.50,\"method\":\"ping\"}").id().toJson()).isEqualTo("1.50");
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":-7,\"method\":\"ping\"}").id().toJson()).isEqualTo("-7");
    }

    @Test
    void readsTheInitializeFactsAndIgnoresEverythingElse() {
        JsonRpcMessage.Request initialize = request("""
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{
                  "capabilities":{"roots":{"listChanged":true},"deep":[[1,{"name":"not-this"}]]},
                  "protocolVersion":"2025-06-18",
                  "clientInfo":{"title":{"x":1},"name":"inspector","version":"0.17.0","icons":[]},
                  "name":"only-read-for-tools/call"}}""");

        assertThat(initialize.method()).isEqualTo("initialize");
        assertThat(initialize.facts()).isEqualTo(new McpFacts(Optional.of("2025-06-18"), Optional.of("inspector"),
                Optional.of("0.17.0"), Optional.empty()));
    }

    @Test
    void readsTheToolNameOfAToolsCallOnly() {
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"name\":\"x\"}}}")
                .facts().toolName()).contains("echo");
        McpFacts prompt = request("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/get\",\"params\":{\"name\":\"greeting\"}}").facts();
        assertThat(prompt.toolName()).isEmpty();
        assertThat(prompt.routedName()).as("what Mcp-Name mirrors").contains("greeting");
    }

    @Test
    void readsTheModernFactsTheEraAndTheRoutingHeadersAreCheckedAgainst() {
        McpFacts call = request("""
                {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"uri":"no"},
                  "_meta":{"other":{"io.modelcontextprotocol/protocolVersion":"nested"},"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""")
                .facts();
        assertThat(call.metaProtocolVersion()).contains("2026-07-28");
        assertThat(call.routedName()).contains("echo");
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/read\",\"params\":{\"uri\":\"file:///a\",\"name\":\"x\"}}")
                .facts().routedName()).contains("file:///a");
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tasks/get\",\"params\":{\"taskId\":\"t-1\"}}")
                .facts().routedName()).contains("t-1");
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{\"_meta\":[1]}}").facts())
                .isEqualTo(McpFacts.NONE);
        DecodedPayload discover = codec.decode(bytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"supportedVersions\":[\"2026-07-28\",7,\"2025-11-25\"]}}"));
        JsonRpcMessage result = ((JsonRpcPayload.Single) ((DecodedPayload.Decoded) discover).payload()).message();
        assertThat(result.facts().supportedVersions()).containsExactly("2026-07-28", "2025-11-25");
    }

    @Test
    void dropsFactsThatAreNotStringsOrTooLong() {
        JsonRpcMessage.Request initialize = request("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":20250618,\"clientInfo\":{\"name\":\"" + "n".repeat(1_025) + "\",\"version\":[\"1\"]}}}");
        assertThat(initialize.facts()).isEqualTo(McpFacts.NONE);

        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"clientInfo\":\"inspector\"}}")
                .facts()).isEqualTo(McpFacts.NONE);
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":[\"2025-06-18\"]}")
                .facts()).isEqualTo(McpFacts.NONE);
        assertThat(request("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"" + "t".repeat(1_024) + "\"}}")
                .facts().toolName()).hasValue("t".repeat(1_024));
    }

    @Test
    void classifiesNotificationsResponsesAndErrors() {
        assertThat(single("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))
                .isEqualTo(new JsonRpcMessage.Notification("notifications/initialized", McpFacts.NONE));

        JsonRpcMessage result = single("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{\"protocolVersion\":\"2025-03-26\",\"serverInfo\":{}}}");
        assertThat(result).isEqualTo(new JsonRpcMessage.Response(new RequestId.StringId("a"),
                new McpFacts(Optional.of("2025-03-26"), Optional.empty(), Optional.empty(), Optional.empty())));

        assertThat(single("{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":-32601,\"message\":\"no such method\",\"data\":{\"a\":[1]}}}"))
                .isEqualTo(new JsonRpcMessage.ErrorResponse(Optional.of(new RequestId.NumericId("9")), -32601, "no such method"));
        assertThat(single("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"message\":\"parse error\",\"code\":-32700}}"))
                .isEqualTo(new JsonRpcMessage.ErrorResponse(Optional.empty(), -32700, "parse error"));
    }

    @Test
    void refusesAnErrorMemberThatIsNotACodeAndAMessage() {
        assertThat(invalidReason("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"boom\"}")).contains("\"error\" must be an object");
        assertThat(invalidReason("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1.5,\"message\":\"m\"}}")).contains("\"error\" must be an object");
        assertThat(invalidReason("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":99999999999,\"message\":\"m\"}}"))
                .contains("\"error\" must be an object");
        assertThat(invalidReason("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1,\"message\":7}}")).contains("\"error\" must be an object");
        assertThat(invalidReason("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1}}")).contains("\"error\" must be an object");
    }

    @Test
    void refusesMembersOfTheWrongType() {
        assertThat(invalidReason("{\"jsonrpc\":2.0,\"id\":1,\"method\":\"ping\"}")).isEqualTo("\"jsonrpc\" must be \"2.0\"");
        assertThat(invalidReason("{\"jsonrpc\":{\"v\":\"2.0\"},\"id\":1,\"method\":\"ping\"}")).isEqualTo("\"jsonrpc\" must be \"2.0\"");
        assertThat(invalidReason("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":[\"ping\"]}")).isEqualTo("\"method\" must be a string");
        assertThat(invalidReason("{\"jsonrpc\":\"2.0\",\"id\":{\"n\":1},\"method\":\"ping\"}")).endsWith("not an object");
        assertThat(invalidReason("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"ping\"}")).endsWith("not an array");
        assertThat(invalidReason("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}")).endsWith("not a boolean");
        assertThat(invalidReason("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}")).isEqualTo("a request \"id\" must not be null");
        assertThat(invalidReason("[1]")).isEqualTo("batch element 1 is not an object");
    }

    @Test
    void refusesAPayloadThatIsNeitherAnObjectNorAnArray() {
        assertThat(codec.decode(bytes("\"ping\""))).isEqualTo(new DecodedPayload.Invalid("a JSON-RPC payload is an object or an array of objects"));
        assertThat(codec.decode(bytes("42"))).isInstanceOf(DecodedPayload.Invalid.class);
    }

    @Test
    void decodesABatchInBodyOrder() {
        DecodedPayload decoded = codec.decode(bytes("""
                [{"jsonrpc":"2.0","id":1,"method":"tools/list"},
                 {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}},
                 {"jsonrpc":"2.0","id":"r","result":{}}]"""));

        assertThat(decoded).isInstanceOf(DecodedPayload.Decoded.class);
        JsonRpcPayload payload = ((DecodedPayload.Decoded) decoded).payload();
        assertThat(payload).isInstanceOf(JsonRpcPayload.Batch.class);
        assertThat(payload.messages()).extracting(m -> m.getClass().getSimpleName())
                .containsExactly("Request", "Notification", "Response");
        assertThat(payload.expectsResponse()).isTrue();
    }

    @Test
    void namesTheFirstBadElementOfABatch() {
        assertThat(invalidReason("[{\"jsonrpc\":\"2.0\",\"method\":\"a\"},{\"jsonrpc\":\"1.0\",\"method\":\"b\"},\"c\"]"))
                .isEqualTo("batch element 2: \"jsonrpc\" must be \"2.0\"");
        assertThat(invalidReason("[{\"jsonrpc\":\"2.0\",\"method\":\"a\"},[],{\"jsonrpc\":\"1.0\"}]"))
                .isEqualTo("batch element 2 is not an object");
    }

    @Test
    void refusesAnEmptyBatchAndAnOversizedOne() {
        assertThat(invalidReason("[]")).isEqualTo("an empty batch is not a valid JSON-RPC payload");

        String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"n\"}";
        String full = "[" + String.join(",", java.util.Collections.nCopies(JacksonMessageCodecAdapter.MAX_BATCH, notification)) + "]";
        assertThat(codec.decode(bytes(full))).isInstanceOf(DecodedPayload.Decoded.class);
        String over = "[" + String.join(",", java.util.Collections.nCopies(JacksonMessageCodecAdapter.MAX_BATCH + 1, notification)) + "]";
        assertThat(invalidReason(over)).isEqualTo("a batch holds at most 1000 messages");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "{",
            "{\"jsonrpc\":\"2.0\",\"method\":\"ping\"} {}",
            "{\"jsonrpc\":\"2.0\",\"jsonrpc\":\"2.0\",\"method\":\"ping\"}",
            "{'jsonrpc':'2.0'}",
            "[{\"jsonrpc\":\"2.0\",\"method\":\"a\"}",
    })
    void reportsInputThatIsNotJsonAsMalformed(String body) {
        assertThat(codec.decode(bytes(body))).isInstanceOf(DecodedPayload.Malformed.class);
    }

    @Test
    void reportsNestingDeeperThanTheLimitAndInvalidUtf8AsMalformed() {
        String deepParams = "{\"a\":".repeat(JacksonMessageCodecAdapter.MAX_NESTING) + "1" + "}".repeat(JacksonMessageCodecAdapter.MAX_NESTING);
        assertThat(codec.decode(bytes("{\"jsonrpc\":\"2.0\",\"method\":\"n\",\"params\":" + deepParams + "}")))
                .isInstanceOf(DecodedPayload.Malformed.class);

        byte[] latin1 = "{\"jsonrpc\":\"2.0\",\"method\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(codec.decode(latin1)).isInstanceOf(DecodedPayload.Malformed.class);
        assertThat(codec.decode(bytes("{\"jsonrpc\":\"2.0\",\"id\":" + "9".repeat(101) + ",\"method\":\"ping\"}")))
                .isInstanceOf(DecodedPayload.Malformed.class);
    }

    @Test
    void saysWhatWasWrongInAMalformedBody() {
        assertThat(codec.decode(bytes(""))).isEqualTo(new DecodedPayload.Malformed("empty body"));
        assertThat(codec.decode(bytes("{\"jsonrpc\":\"2.0\",\"method\":\"ping\"} x")))
                .isInstanceOfSatisfying(DecodedPayload.Malformed.class, m -> assertThat(m.reason()).isNotBlank());
        assertThat(codec.decode(bytes("{\"a\":1} {}"))).isEqualTo(new DecodedPayload.Malformed("unexpected data after the JSON value"));
    }

    private JsonRpcMessage.Request request(String json) {
        JsonRpcMessage message = single(json);
        assertThat(message).isInstanceOf(JsonRpcMessage.Request.class);
        return (JsonRpcMessage.Request) message;
    }

    private JsonRpcMessage single(String json) {
        DecodedPayload decoded = codec.decode(bytes(json));
        assertThat(decoded).isInstanceOf(DecodedPayload.Decoded.class);
        JsonRpcPayload payload = ((DecodedPayload.Decoded) decoded).payload();
        assertThat(payload).isInstanceOf(JsonRpcPayload.Single.class);
        List<JsonRpcMessage> messages = payload.messages();
        return messages.getFirst();
    }

    private String invalidReason(String json) {
        DecodedPayload decoded = codec.decode(bytes(json));
        assertThat(decoded).isInstanceOf(DecodedPayload.Invalid.class);
        return ((DecodedPayload.Invalid) decoded).reason();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
