package io.mcprelay.domain.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.jsonrpc.RequestId;
import org.junit.jupiter.api.Test;

class RejectionTest {

    @Test
    void rejectionAnswersNoRequestUntilTold() {
        Rejection rejection = Rejection.of(RejectionReason.SESSION_NOT_FOUND, "Session not found");

        assertThat(rejection.requestId()).isEmpty();
        assertThat(rejection.answering(new RequestId.NumericId("3")).requestId()).contains(new RequestId.NumericId("3"));
        assertThat(rejection.answering(new RequestId.NumericId("3")).reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
    }
}
