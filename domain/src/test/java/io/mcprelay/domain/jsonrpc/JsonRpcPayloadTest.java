package io.mcprelay.domain.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.jsonrpc.RequestId.NumericId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonRpcPayloadTest {

    private static final JsonRpcMessage REQUEST = new JsonRpcMessage.Request(new NumericId("1"), "tools/list", McpFacts.NONE);
    private static final JsonRpcMessage INITIALIZE = new JsonRpcMessage.Request(new NumericId("0"), "initialize", McpFacts.NONE);
    private static final JsonRpcMessage NOTIFICATION = new JsonRpcMessage.Notification("notifications/cancelled", McpFacts.NONE);
    private static final JsonRpcMessage RESPONSE = new JsonRpcMessage.Response(new NumericId("9"), McpFacts.NONE);
    private static final JsonRpcMessage ERROR = new JsonRpcMessage.ErrorResponse(Optional.empty(), -1, "x");

    @Test
    void singleHoldsOneMessage() {
        JsonRpcPayload payload = new JsonRpcPayload.Single(REQUEST);

        assertThat(payload.messages()).containsExactly(REQUEST);
        assertThat(payload.expectsResponse()).isTrue();
        assertThat(payload.containsInitialize()).isFalse();
    }

    @Test
    void payloadOfNotificationsAndResponsesExpectsNoResponse() {
        assertThat(new JsonRpcPayload.Single(NOTIFICATION).expectsResponse()).isFalse();
        assertThat(new JsonRpcPayload.Batch(List.of(NOTIFICATION, RESPONSE, ERROR)).expectsResponse()).isFalse();
    }

    @Test
    void batchExpectsResponseWhenAnyMessageIsRequest() {
        assertThat(new JsonRpcPayload.Batch(List.of(NOTIFICATION, REQUEST)).expectsResponse()).isTrue();
    }

    @Test
    void findsInitializeInBatch() {
        assertThat(new JsonRpcPayload.Batch(List.of(NOTIFICATION, INITIALIZE)).containsInitialize()).isTrue();
        assertThat(new JsonRpcPayload.Single(INITIALIZE).containsInitialize()).isTrue();
    }

    @Test
    void refusesEmptyBatch() {
        assertThatThrownBy(() -> new JsonRpcPayload.Batch(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchKeepsBodyOrderAndIsImmutable() {
        List<JsonRpcMessage> messages = new ArrayList<>(List.of(REQUEST, NOTIFICATION));
        JsonRpcPayload.Batch batch = new JsonRpcPayload.Batch(messages);
        messages.clear();

        assertThat(batch.messages()).containsExactly(REQUEST, NOTIFICATION);
        assertThatThrownBy(() -> batch.messages().add(RESPONSE)).isInstanceOf(UnsupportedOperationException.class);
    }
}
