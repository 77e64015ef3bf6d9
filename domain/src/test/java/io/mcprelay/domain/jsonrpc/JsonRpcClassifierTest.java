package io.mcprelay.domain.jsonrpc;

import static io.mcprelay.domain.jsonrpc.MessageShapeTestData.aNotification;
import static io.mcprelay.domain.jsonrpc.MessageShapeTestData.aRequest;
import static io.mcprelay.domain.jsonrpc.MessageShapeTestData.aResult;
import static io.mcprelay.domain.jsonrpc.MessageShapeTestData.anError;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.jsonrpc.RequestId.NumericId;
import io.mcprelay.domain.jsonrpc.RequestId.StringId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonRpcClassifierTest {

    private static JsonRpcMessage valid(Classification classification) {
        assertThat(classification).isInstanceOf(Classification.Valid.class);
        return ((Classification.Valid) classification).message();
    }

    private static String invalidReason(Classification classification) {
        assertThat(classification).isInstanceOf(Classification.Invalid.class);
        return ((Classification.Invalid) classification).reason();
    }

    @Test
    void classifiesRequestWithNumericId() {
        JsonRpcMessage message = valid(aRequest().withId(new NumericId("0")).withMethod("tools/call").classify());

        assertThat(message).isEqualTo(new JsonRpcMessage.Request(new NumericId("0"), "tools/call", McpFacts.NONE));
        assertThat(message.expectsResponse()).isTrue();
        assertThat(message.isInitialize()).isFalse();
    }

    @Test
    void classifiesRequestWithStringId() {
        JsonRpcMessage message = valid(aRequest().withId(new StringId("abc")).classify());

        assertThat(message).isEqualTo(new JsonRpcMessage.Request(new StringId("abc"), "tools/list", McpFacts.NONE));
    }

    @Test
    void classifiesInitializeRequestAndKeepsItsFacts() {
        McpFacts facts = new McpFacts(Optional.of("2025-06-18"), Optional.of("inspector"), Optional.of("1.0"), Optional.empty());

        JsonRpcMessage message = valid(aRequest().withMethod("initialize").withFacts(facts).classify());

        assertThat(message.isInitialize()).isTrue();
        assertThat(message.facts()).isEqualTo(facts);
    }

    @Test
    void classifiesNotificationWhenIdIsAbsent() {
        JsonRpcMessage message = valid(aNotification().classify());

        assertThat(message).isEqualTo(new JsonRpcMessage.Notification("notifications/initialized", McpFacts.NONE));
        assertThat(message.expectsResponse()).isFalse();
    }

    @Test
    void notificationNamedInitializeIsNotAnInitializeRequest() {
        JsonRpcMessage message = valid(aNotification().withMethod("initialize").classify());

        assertThat(message.isInitialize()).isFalse();
    }

    @Test
    void classifiesResponseWithResultAndKeepsItsFacts() {
        McpFacts facts = new McpFacts(Optional.of("2025-03-26"), Optional.empty(), Optional.empty(), Optional.empty());

        JsonRpcMessage message = valid(aResult().withId(new NumericId("7")).withFacts(facts).classify());

        assertThat(message).isEqualTo(new JsonRpcMessage.Response(new NumericId("7"), facts));
        assertThat(message.expectsResponse()).isFalse();
    }

    @Test
    void classifiesErrorResponseWithId() {
        JsonRpcMessage message = valid(anError(-32601, "Method not found").withId(new StringId("x")).classify());

        assertThat(message).isEqualTo(new JsonRpcMessage.ErrorResponse(Optional.of(new StringId("x")), -32601, "Method not found"));
        assertThat(message.facts()).isEqualTo(McpFacts.NONE);
    }

    @Test
    void classifiesErrorResponseWithNullIdAsAnsweringAnUnknownRequest() {
        JsonRpcMessage message = valid(anError(-32700, "Parse error").withNullId().classify());

        assertThat(message).isEqualTo(new JsonRpcMessage.ErrorResponse(Optional.empty(), -32700, "Parse error"));
    }

    @Test
    void refusesErrorResponseWithoutId() {
        assertThat(invalidReason(anError(-32603, "boom").withoutId().classify())).contains("\"id\"");
    }

    @Test
    void refusesMalformedErrorObject() {
        assertThat(invalidReason(anError(1, "x").withMalformedError().classify()))
                .contains("\"error\" must be an object with an integer \"code\" and a string \"message\"");
    }

    @Test
    void refusesMessageWithoutJsonrpcMember() {
        assertThat(invalidReason(aRequest().withoutJsonrpc().classify())).isEqualTo("\"jsonrpc\" must be \"2.0\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "2", "2.00", "2.0 ", "", "3.0"})
    void refusesJsonrpcVersionOtherThanTwoPointZero(String version) {
        assertThat(invalidReason(aRequest().withJsonrpc(version).classify())).isEqualTo("\"jsonrpc\" must be \"2.0\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"object", "array", "boolean"})
    void refusesRequestIdOfWrongType(String jsonType) {
        assertThat(invalidReason(aRequest().withIdOfType(jsonType).classify())).endsWith("not " + jsonType);
    }

    @ParameterizedTest
    @ValueSource(strings = {"object", "array", "boolean"})
    void refusesResponseIdOfWrongType(String jsonType) {
        assertThat(invalidReason(aResult().withIdOfType(jsonType).classify())).contains("\"id\" must be a string or a number");
        assertThat(invalidReason(anError(1, "x").withIdOfType(jsonType).classify())).contains("\"id\" must be a string or a number");
    }

    @Test
    void refusesMethodThatIsNotAString() {
        assertThat(invalidReason(aRequest().withMethodNotAString().classify())).isEqualTo("\"method\" must be a string");
        assertThat(invalidReason(aNotification().withMethodNotAString().classify())).isEqualTo("\"method\" must be a string");
    }

    @Test
    void refusesRequestWithNullId() {
        assertThat(invalidReason(aRequest().withNullId().classify())).contains("must not be null");
    }

    @Test
    void refusesMethodCarryingResultOrError() {
        assertThat(invalidReason(aRequest().withResult().classify())).contains("must not carry");
        assertThat(invalidReason(aRequest().withError(1, "x").classify())).contains("must not carry");
        assertThat(invalidReason(aNotification().withResult().classify())).contains("must not carry");
    }

    @Test
    void refusesResultAndErrorTogether() {
        assertThat(invalidReason(aResult().withError(-1, "x").classify())).contains("exactly one of");
    }

    @Test
    void refusesMessageWithNeitherMethodNorResultNorError() {
        assertThat(invalidReason(aRequest().withoutMethod().classify())).contains("exactly one of");
    }

    @Test
    void refusesResultWithoutIdOrWithNullId() {
        assertThat(invalidReason(aResult().withoutId().classify())).contains("must carry the \"id\"");
        assertThat(invalidReason(aResult().withNullId().classify())).contains("must carry the \"id\"");
    }
}
