package io.mcprelay.domain.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.jsonrpc.RequestId.NumericId;
import io.mcprelay.domain.jsonrpc.RequestId.StringId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonRpcErrorTest {

    @Test
    void writesErrorForNumericIdExactly() {
        JsonRpcError error = new JsonRpcError(Optional.of(new NumericId("12345678901234567890")), JsonRpcErrorCodes.INTERNAL_ERROR, "Upstream error");

        assertThat(error.toJson()).isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,\"error\":{\"code\":-32603,\"message\":\"Upstream error\"}}");
    }

    @Test
    void writesErrorForStringId() {
        JsonRpcError error = new JsonRpcError(Optional.of(new StringId("0")), JsonRpcErrorCodes.SESSION_NOT_FOUND, "Session not found");

        assertThat(error.toJson()).isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"id\":\"0\",\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
    }

    @Test
    void writesDataAsGiven() {
        JsonRpcError error = new JsonRpcError(Optional.empty(), JsonRpcErrorCodes.TRANSPORT_ERROR, "Unsupported",
                Optional.of("{\"supported\":[\"2025-06-18\"]}"));

        assertThat(error.toJson()).isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"Unsupported\",\"data\":{\"supported\":[\"2025-06-18\"]}}}");
    }

    @Test
    void writesNullIdWhenNoRequestIsKnown() {
        JsonRpcError error = new JsonRpcError(Optional.empty(), JsonRpcErrorCodes.PARSE_ERROR, "Parse error");

        assertThat(error.toJson()).isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");
    }

    @Test
    void escapesTheMessage() {
        JsonRpcError error = new JsonRpcError(Optional.empty(), JsonRpcErrorCodes.TRANSPORT_ERROR, "bad \"x\"\n\\");

        assertThat(error.toJson()).isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"bad \\\"x\\\"\\n\\\\\"}}");
    }

    @Test
    void requiresIdAndMessage() {
        assertThatThrownBy(() -> new JsonRpcError(null, 1, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new JsonRpcError(Optional.empty(), 1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void usesTheStandardAndSdkErrorCodes() {
        assertThat(JsonRpcErrorCodes.PARSE_ERROR).isEqualTo(-32700);
        assertThat(JsonRpcErrorCodes.INVALID_REQUEST).isEqualTo(-32600);
        assertThat(JsonRpcErrorCodes.METHOD_NOT_FOUND).isEqualTo(-32601);
        assertThat(JsonRpcErrorCodes.INTERNAL_ERROR).isEqualTo(-32603);
        assertThat(JsonRpcErrorCodes.TRANSPORT_ERROR).isEqualTo(-32000);
        assertThat(JsonRpcErrorCodes.SESSION_NOT_FOUND).isEqualTo(-32001);
    }
}
