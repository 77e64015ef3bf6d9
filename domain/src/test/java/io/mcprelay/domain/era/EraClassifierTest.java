package io.mcprelay.domain.era;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EraClassifierTest {

    private static final String MODERN = "2026-07-28";
    private static final RequestId ID = new RequestId.NumericId("7");

    private static JsonRpcPayload request(String method, Optional<String> metaVersion, Optional<String> routedName) {
        McpFacts facts = new McpFacts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), metaVersion, routedName, List.of());
        return new JsonRpcPayload.Single(new JsonRpcMessage.Request(ID, method, facts));
    }

    private static JsonRpcPayload modernCall(String tool) {
        return request("tools/call", Optional.of(MODERN), Optional.of(tool));
    }

    private static RoutingClaims claims(String version, String method, String name, Map<String, String> params) {
        return new RoutingClaims(Optional.ofNullable(version), Optional.ofNullable(method), Optional.ofNullable(name), params);
    }

    private static EraDecision.Refused refused(EraDecision decision) {
        assertThat(decision).isInstanceOf(EraDecision.Refused.class);
        return (EraDecision.Refused) decision;
    }

    @Test
    void aRequestWithoutAModernClaimOrHeaderIsLegacy() {
        assertThat(EraClassifier.classify(request("tools/list", Optional.empty(), Optional.empty()), RoutingClaims.ofVersion(Optional.of("2025-11-25"))))
                .isInstanceOf(EraDecision.Legacy.class);
        assertThat(EraClassifier.classify(request("initialize", Optional.empty(), Optional.empty()), RoutingClaims.NONE))
                .isInstanceOf(EraDecision.Legacy.class);
    }

    @Test
    void batchesAndResponsesAreLegacyWhateverTheHeaderSays() {
        JsonRpcPayload batch = new JsonRpcPayload.Batch(List.of(new JsonRpcMessage.Notification("n", McpFacts.NONE)));
        assertThat(EraClassifier.classify(batch, RoutingClaims.ofVersion(Optional.of(MODERN)))).isInstanceOf(EraDecision.Legacy.class);
        JsonRpcPayload response = new JsonRpcPayload.Single(new JsonRpcMessage.Response(ID, McpFacts.NONE));
        assertThat(EraClassifier.classify(response, RoutingClaims.ofVersion(Optional.of(MODERN)))).isInstanceOf(EraDecision.Legacy.class);
    }

    @Test
    void aModernRequestWhoseHeadersMatchItsBodyIsModern() {
        EraDecision decision = EraClassifier.classify(modernCall("echo"), claims(MODERN, "tools/call", "echo", Map.of("Region", "eu")));
        assertThat(decision).isEqualTo(new EraDecision.Modern(MODERN));
    }

    @Test
    void theBodyDecidesTheEraAndTheVersionHeaderMustAgree() {
        EraDecision.Refused refused = refused(EraClassifier.classify(modernCall("echo"), claims("2026-08-01", "tools/call", "echo", Map.of())));
        assertThat(refused.rejection().reason()).isEqualTo(RejectionReason.MODERN_HEADER_MISMATCH);
        assertThat(refused.rejection().requestId()).contains(ID);
        assertThat(refused.rejection().detail()).contains("MCP-Protocol-Version");
    }

    @Test
    void aModernRequestWithoutTheVersionOrMethodHeaderIsAMismatch() {
        assertThat(refused(EraClassifier.classify(modernCall("echo"), claims(null, "tools/call", "echo", Map.of()))).rejection().detail())
                .contains("MCP-Protocol-Version is required");
        assertThat(refused(EraClassifier.classify(modernCall("echo"), claims(MODERN, null, "echo", Map.of()))).rejection().detail())
                .contains("Mcp-Method is required");
    }

    @Test
    void mcpMethodMustEqualTheBodysMethod() {
        EraDecision.Refused refused = refused(EraClassifier.classify(modernCall("echo"), claims(MODERN, "tools/list", "echo", Map.of())));
        assertThat(refused.rejection().reason()).isEqualTo(RejectionReason.MODERN_HEADER_MISMATCH);
        assertThat(refused.rejection().detail()).contains("Mcp-Method \"tools/list\"");
    }

    @Test
    void mcpNameIsComparedAfterDecodingTheSentinel() {
        JsonRpcPayload call = modernCall("Hello, 世界");
        String encoded = RoutingValue.encode("Hello, 世界");
        assertThat(encoded).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
        assertThat(EraClassifier.classify(call, claims(MODERN, "tools/call", encoded, Map.of()))).isInstanceOf(EraDecision.Modern.class);
        assertThat(refused(EraClassifier.classify(call, claims(MODERN, "tools/call", "Hello", Map.of()))).rejection().detail())
                .contains("Mcp-Name");
        assertThat(refused(EraClassifier.classify(call, claims(MODERN, "tools/call", "=?base64?***?=", Map.of()))).rejection().detail())
                .contains("not validly encoded");
    }

    @Test
    void mcpNameIsRequiredWhereTheMethodRoutesByName() {
        assertThat(refused(EraClassifier.classify(modernCall("echo"), claims(MODERN, "tools/call", null, Map.of()))).rejection().detail())
                .contains("Mcp-Name is required");
        JsonRpcPayload read = request("resources/read", Optional.of(MODERN), Optional.of("file:///a"));
        assertThat(EraClassifier.classify(read, claims(MODERN, "resources/read", "file:///a", Map.of()))).isInstanceOf(EraDecision.Modern.class);
        JsonRpcPayload list = request("tools/list", Optional.of(MODERN), Optional.empty());
        assertThat(EraClassifier.classify(list, claims(MODERN, "tools/list", null, Map.of()))).isInstanceOf(EraDecision.Modern.class);
    }

    @Test
    void aBadlyEncodedParamHeaderIsRefusedAWellEncodedUnknownOneIsKept() {
        assertThat(refused(EraClassifier.classify(modernCall("echo"), claims(MODERN, "tools/call", "echo", Map.of("Region", "=?base64?%%?="))))
                .rejection().detail()).contains("Mcp-Param-region");
        assertThat(EraClassifier.classify(modernCall("echo"), claims(MODERN, "tools/call", "echo", Map.of("Unknown-Thing", "x"))))
                .isInstanceOf(EraDecision.Modern.class);
    }

    @Test
    void aModernHeaderWithoutTheBodyClaimIsABadEnvelopeOrAMismatchForInitialize() {
        EraDecision.Refused envelope = refused(EraClassifier.classify(request("tools/list", Optional.empty(), Optional.empty()),
                RoutingClaims.ofVersion(Optional.of(MODERN))));
        assertThat(envelope.rejection().reason()).isEqualTo(RejectionReason.MODERN_INVALID_PARAMS);
        assertThat(envelope.rejection().requestId()).contains(ID);
        EraDecision.Refused initialize = refused(EraClassifier.classify(request("initialize", Optional.empty(), Optional.empty()),
                RoutingClaims.ofVersion(Optional.of(MODERN))));
        assertThat(initialize.rejection().reason()).isEqualTo(RejectionReason.MODERN_HEADER_MISMATCH);
    }

    @Test
    void aNotificationWithAModernHeaderIsModernWithoutHeaderPresenceChecks() {
        JsonRpcPayload note = new JsonRpcPayload.Single(new JsonRpcMessage.Notification("notifications/progress", McpFacts.NONE));
        assertThat(EraClassifier.classify(note, RoutingClaims.ofVersion(Optional.of(MODERN)))).isEqualTo(new EraDecision.Modern(MODERN));
    }

    @Test
    void aLegacyBodyClaimIsLegacyUnlessTheHeaderClaimsModern() {
        JsonRpcPayload legacyClaim = request("tools/list", Optional.of("2025-11-25"), Optional.empty());
        assertThat(EraClassifier.classify(legacyClaim, RoutingClaims.ofVersion(Optional.of("2025-11-25")))).isInstanceOf(EraDecision.Legacy.class);
        assertThat(refused(EraClassifier.classify(legacyClaim, RoutingClaims.ofVersion(Optional.of(MODERN)))).rejection().reason())
                .isEqualTo(RejectionReason.MODERN_HEADER_MISMATCH);
    }

    @Test
    void aBodyClaimNamingNoRevisionIsModernSoItsUnsupportedVersionIsAnsweredAsTheModernEraDoes() {
        // the conformance suite's ServerUnsupportedVersionError sends server/discover claiming "v999.0.0" in the envelope
        JsonRpcPayload unknown = request("server/discover", Optional.of("v999.0.0"), Optional.empty());
        assertThat(EraClassifier.classify(unknown, claims("v999.0.0", "server/discover", null, Map.of())))
                .isEqualTo(new EraDecision.Modern("v999.0.0"));
        assertThat(refused(EraClassifier.classify(unknown, claims("2025-11-25", "server/discover", null, Map.of()))).rejection().reason())
                .isEqualTo(RejectionReason.MODERN_HEADER_MISMATCH);
        assertThat(ProtocolEra.isLegacyRevision("2025-06-18")).isTrue();
        assertThat(ProtocolEra.isLegacyRevision(" 2024-11-05 ")).isTrue();
        assertThat(ProtocolEra.isLegacyRevision("2026-07-28")).isFalse();
        assertThat(ProtocolEra.isLegacyRevision("v999.0.0")).isFalse();
        assertThat(ProtocolEra.isLegacyRevision("draft")).isFalse();
    }
}
