package io.mcprelay.domain.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.RequestId.NumericId;
import io.mcprelay.domain.session.SessionAdmission.Admission;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionAdmissionTest {

    private static final JsonRpcMessage.Request INITIALIZE = new JsonRpcMessage.Request(new NumericId("0"), "initialize", McpFacts.NONE);
    private static final JsonRpcMessage.Request TOOLS_LIST = new JsonRpcMessage.Request(new NumericId("1"), "tools/list", McpFacts.NONE);
    private static final JsonRpcMessage.Notification INITIALIZED = new JsonRpcMessage.Notification("notifications/initialized", McpFacts.NONE);

    private static RejectionReason refusal(Admission admission) {
        assertThat(admission).isInstanceOf(Admission.Refused.class);
        return ((Admission.Refused) admission).rejection().reason();
    }

    @Test
    void initializeAloneOpensSession() {
        Admission admission = SessionAdmission.admitPost(new JsonRpcPayload.Single(INITIALIZE), Optional.empty());

        assertThat(admission).isEqualTo(new Admission.OpenSession(INITIALIZE));
    }

    @Test
    void refusesInitializeThatNamesASession() {
        Admission admission = SessionAdmission.admitPost(new JsonRpcPayload.Single(INITIALIZE), Optional.of("abc"));

        assertThat(refusal(admission)).isEqualTo(RejectionReason.INITIALIZE_WITH_SESSION);
    }

    @Test
    void refusesInitializeInBatch() {
        assertThat(refusal(SessionAdmission.admitPost(new JsonRpcPayload.Batch(List.of(INITIALIZE, INITIALIZED)), Optional.empty())))
                .isEqualTo(RejectionReason.INITIALIZE_NOT_ALONE);
        assertThat(refusal(SessionAdmission.admitPost(new JsonRpcPayload.Batch(List.of(INITIALIZE)), Optional.empty())))
                .isEqualTo(RejectionReason.INITIALIZE_NOT_ALONE);
        assertThat(refusal(SessionAdmission.admitPost(new JsonRpcPayload.Batch(List.of(INITIALIZE)), Optional.of("abc"))))
                .isEqualTo(RejectionReason.INITIALIZE_NOT_ALONE);
    }

    @Test
    void otherMessageUsesTheNamedSession() {
        Admission admission = SessionAdmission.admitPost(new JsonRpcPayload.Single(TOOLS_LIST), Optional.of("session-1"));

        assertThat(admission).isEqualTo(new Admission.UseSession(new ProxySessionId("session-1")));
    }

    @Test
    void batchWithoutInitializeUsesTheNamedSession() {
        Admission admission = SessionAdmission.admitPost(new JsonRpcPayload.Batch(List.of(TOOLS_LIST, INITIALIZED)), Optional.of("s"));

        assertThat(admission).isEqualTo(new Admission.UseSession(new ProxySessionId("s")));
    }

    @Test
    void refusesMessageWithoutSessionId() {
        Admission admission = SessionAdmission.admitPost(new JsonRpcPayload.Single(TOOLS_LIST), Optional.empty());

        assertThat(refusal(admission)).isEqualTo(RejectionReason.MISSING_SESSION_ID);
        assertThat(((Admission.Refused) admission).rejection().requestId()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "has space", "caf\u00e9", "line\r\nbreak"})
    void refusesMalformedSessionId(String header) {
        assertThat(refusal(SessionAdmission.admitSessionRequest(Optional.of(header)))).isEqualTo(RejectionReason.MALFORMED_SESSION_ID);
    }

    @Test
    void refusesOverlongSessionId() {
        assertThat(refusal(SessionAdmission.admitSessionRequest(Optional.of("x".repeat(ProxySessionId.MAX_LENGTH + 1)))))
                .isEqualTo(RejectionReason.MALFORMED_SESSION_ID);
    }

    @Test
    void sessionRequestWithoutIdIsRefused() {
        assertThat(refusal(SessionAdmission.admitSessionRequest(Optional.empty()))).isEqualTo(RejectionReason.MISSING_SESSION_ID);
    }

    @Test
    void absentVersionHeaderPasses() {
        assertThat(SessionAdmission.checkVersionHeader(Optional.empty(), Optional.empty())).isEmpty();
        assertThat(SessionAdmission.checkVersionHeader(Optional.empty(), Optional.of(ProtocolVersion.V2025_06_18))).isEmpty();
    }

    @Test
    void supportedVersionHeaderPassesBeforeASessionExists() {
        assertThat(SessionAdmission.checkVersionHeader(Optional.of("2025-11-25"), Optional.empty())).isEmpty();
    }

    @Test
    void versionHeaderMatchingTheSessionPasses() {
        assertThat(SessionAdmission.checkVersionHeader(Optional.of("2025-06-18"), Optional.of(ProtocolVersion.V2025_06_18))).isEmpty();
        assertThat(SessionAdmission.checkVersionHeader(Optional.of(" 2025-06-18 "), Optional.of(ProtocolVersion.V2025_06_18))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-10-07", "2026-07-28", "latest", "", "2025-\u000106-18"})
    void refusesUnsupportedVersionHeader(String header) {
        Optional<Rejection> rejection = SessionAdmission.checkVersionHeader(Optional.of(header), Optional.of(ProtocolVersion.V2025_06_18));

        assertThat(rejection).map(Rejection::reason).contains(RejectionReason.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(rejection.get().detail()).contains("2025-06-18").doesNotContain("\u0001");
        assertThat(rejection.get().dataJson()).contains("{\"supported\":[\"2024-11-05\",\"2025-03-26\",\"2025-06-18\",\"2025-11-25\"]}");
    }

    @Test
    void clipsAnOverlongVersionInTheDetail() {
        Optional<Rejection> rejection = SessionAdmission.checkVersionHeader(Optional.of("v".repeat(500)), Optional.empty());

        assertThat(rejection.get().detail()).hasSizeLessThan(200);
    }

    @Test
    void theSessionsOwnOlderRevisionPassesEvenThoughTheProxyDoesNotListIt() {
        ProtocolVersion older = new ProtocolVersion("2024-10-07");

        assertThat(SessionAdmission.checkVersionHeader(Optional.of("2024-10-07"), Optional.of(older))).isEmpty();
        assertThat(SessionAdmission.checkVersionHeader(Optional.of("2025-06-18"), Optional.of(older))).isEmpty();
        assertThat(SessionAdmission.checkVersionHeader(Optional.of("2024-10-07"), Optional.empty()))
                .map(Rejection::reason).contains(RejectionReason.UNSUPPORTED_PROTOCOL_VERSION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"})
    void anySupportedVersionPassesInASessionThatNegotiatedAnother(String header) {
        // as the SDK servers do; the conformance suite's server-sse-multiple-streams names 2025-03-26 in a 2025-11-25 session
        assertThat(SessionAdmission.checkVersionHeader(Optional.of(header), Optional.of(ProtocolVersion.V2025_11_25))).isEmpty();
        assertThat(SessionAdmission.checkVersionHeader(Optional.of(header), Optional.of(ProtocolVersion.V2024_11_05))).isEmpty();
    }

    @Test
    void batchesAreAllowedOnlyUpTo20250326() {
        JsonRpcPayload batch = new JsonRpcPayload.Batch(List.of(TOOLS_LIST, INITIALIZED));

        assertThat(SessionAdmission.checkBatching(batch, ProtocolVersion.V2024_11_05)).isEmpty();
        assertThat(SessionAdmission.checkBatching(batch, ProtocolVersion.V2025_03_26)).isEmpty();
        assertThat(SessionAdmission.checkBatching(batch, ProtocolVersion.V2025_06_18)).map(Rejection::reason)
                .contains(RejectionReason.BATCH_NOT_ALLOWED);
        assertThat(SessionAdmission.checkBatching(batch, ProtocolVersion.V2025_11_25)).map(Rejection::reason)
                .contains(RejectionReason.BATCH_NOT_ALLOWED);
    }

    @Test
    void aBatchNeedsEveryRevisionInPlayToAllowIt() {
        JsonRpcPayload batch = new JsonRpcPayload.Batch(List.of(TOOLS_LIST, INITIALIZED));

        // the header cannot widen what the upstream agreed to
        assertThat(SessionAdmission.checkBatching(batch, ProtocolVersion.V2025_11_25, Optional.of("2025-03-26")))
                .map(Rejection::detail).contains("Invalid Request: JSON-RPC batches are not allowed in protocol version 2025-11-25");
        // nor may a client that says it speaks a revision without batches send one
        assertThat(SessionAdmission.checkBatching(batch, ProtocolVersion.V2025_03_26, Optional.of(" 2025-06-18 ")))
                .map(Rejection::detail).contains("Invalid Request: JSON-RPC batches are not allowed in protocol version 2025-06-18");
        assertThat(SessionAdmission.checkBatching(batch, ProtocolVersion.V2025_03_26, Optional.of("2024-11-05"))).isEmpty();
        assertThat(SessionAdmission.checkBatching(batch, ProtocolVersion.V2025_03_26, Optional.empty())).isEmpty();
        // the session's own unlisted older revision governs when the header names it
        assertThat(SessionAdmission.checkBatching(batch, new ProtocolVersion("2024-10-07"), Optional.of("2024-10-07"))).isEmpty();
    }

    @Test
    void singleMessageIsNeverRefusedAsBatch() {
        assertThat(SessionAdmission.checkBatching(new JsonRpcPayload.Single(TOOLS_LIST), ProtocolVersion.V2025_11_25)).isEmpty();
    }
}
