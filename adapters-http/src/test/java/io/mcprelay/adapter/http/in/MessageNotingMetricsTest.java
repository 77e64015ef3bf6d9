package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.out.RelayMetricsPort;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The access log's wrapper passes the bridge's meters on to the real metrics (it is what the use cases are given). */
class MessageNotingMetricsTest {

    @Test
    void theBridgesSessionsAndParkedCallsReachTheDelegate() {
        List<String> seen = new ArrayList<>();
        RelayMetricsPort delegate = new RelayMetricsPort() {
            @Override
            public void bridgeSessionOpened() {
                seen.add("opened");
            }

            @Override
            public void bridgeSessionClosed(String why) {
                seen.add("closed:" + why);
            }

            @Override
            public void bridgeCallParked() {
                seen.add("parked");
            }

            @Override
            public void bridgeCallUnparked(String outcome) {
                seen.add("unparked:" + outcome);
            }
        };
        MessageNotingMetrics metrics = new MessageNotingMetrics(delegate);

        metrics.bridgeSessionOpened();
        metrics.bridgeCallParked();
        metrics.bridgeCallUnparked("retried");
        metrics.bridgeSessionClosed("idle");

        assertThat(seen).containsExactly("opened", "parked", "unparked:retried", "closed:idle");
    }
}
