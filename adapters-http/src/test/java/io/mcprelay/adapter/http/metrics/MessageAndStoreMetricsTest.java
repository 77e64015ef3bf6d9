package io.mcprelay.adapter.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.metrics.LiveStats.Second;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-message and session-store series of {@link MicrometerMetricsAdapter}, and its live stats. */
class MessageAndStoreMetricsTest {

    private final AtomicLong now = new AtomicLong(1_800_000_000L);
    private final MicrometerMetricsAdapter metrics = new MicrometerMetricsAdapter(new LiveStats(now::get));

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void countsMessagesByMethodAndOutcomeAndTimesThemByMethod() {
        metrics.requestCompleted("tools/call", "ok", Duration.ofMillis(30));
        metrics.requestCompleted("tools/call", "ok", Duration.ofMillis(3));
        metrics.requestCompleted("tools/call", "upstream_timeout", Duration.ofSeconds(20));
        metrics.requestCompleted("response", "ok", Duration.ofMillis(1));
        metrics.requestCompleted("batch", "batch_not_allowed", Duration.ofMillis(1));
        metrics.requestCompleted("invalid", "parse_error", Duration.ofMillis(1));

        assertThat(lines()).contains(
                "mcp_relay_messages_total{era=\"legacy\",fault=\"none\",outcome=\"ok\",rpc_method=\"tools/call\"} 2.0",
                "mcp_relay_messages_total{era=\"legacy\",fault=\"upstream\",outcome=\"upstream_timeout\",rpc_method=\"tools/call\"} 1.0",
                "mcp_relay_messages_total{era=\"legacy\",fault=\"none\",outcome=\"ok\",rpc_method=\"response\"} 1.0",
                "mcp_relay_messages_total{era=\"legacy\",fault=\"client\",outcome=\"batch_not_allowed\",rpc_method=\"batch\"} 1.0",
                "mcp_relay_messages_total{era=\"legacy\",fault=\"client\",outcome=\"parse_error\",rpc_method=\"invalid\"} 1.0",
                "mcp_relay_message_seconds_bucket{rpc_method=\"tools/call\",le=\"0.005\"} 1",
                "mcp_relay_message_seconds_bucket{rpc_method=\"tools/call\",le=\"0.05\"} 2",
                "mcp_relay_message_seconds_bucket{rpc_method=\"tools/call\",le=\"30.0\"} 3",
                "mcp_relay_message_seconds_count{rpc_method=\"tools/call\"} 3");
    }

    @Test
    void boundsMethodAndOutcomeLabels() {
        metrics.requestCompleted("x/attacker-" + System.nanoTime(), "ok", Duration.ofMillis(1));
        metrics.requestCompleted("tools/list", "made_up_" + System.nanoTime(), Duration.ofMillis(1));
        metrics.requestCompleted(null, null, Duration.ofMillis(1));

        String scrape = metrics.scrape();
        assertThat(scrape).contains(
                "mcp_relay_messages_total{era=\"legacy\",fault=\"none\",outcome=\"ok\",rpc_method=\"other\"} 1.0",
                "mcp_relay_messages_total{era=\"legacy\",fault=\"relay\",outcome=\"other\",rpc_method=\"tools/list\"} 1.0",
                "mcp_relay_messages_total{era=\"legacy\",fault=\"relay\",outcome=\"other\",rpc_method=\"none\"} 1.0");
        assertThat(scrape).doesNotContain("attacker", "made_up_");
    }

    @Test
    void timesStoreOperationsAndCountsFailures() {
        metrics.storeOperation("find", Duration.ofMillis(2), false);
        metrics.storeOperation("find", Duration.ofMillis(700), true);
        metrics.storeOperation("touch", Duration.ofNanos(300_000), false);
        metrics.storeOperation("dropDatabase", Duration.ofMillis(1), true);

        List<String> lines = lines();
        assertThat(lines).contains(
                "mcp_relay_store_seconds_bucket{operation=\"find\",le=\"0.0025\"} 1",
                "mcp_relay_store_seconds_bucket{operation=\"find\",le=\"1.0\"} 2",
                "mcp_relay_store_seconds_count{operation=\"find\"} 2",
                "mcp_relay_store_seconds_bucket{operation=\"touch\",le=\"5.0E-4\"} 1",
                "mcp_relay_store_failures_total{operation=\"find\"} 1.0",
                "mcp_relay_store_failures_total{operation=\"touch\"} 0.0",
                "mcp_relay_store_failures_total{operation=\"other\"} 1.0");
        assertThat(lines).noneMatch(line -> line.contains("dropDatabase"));
    }

    @Test
    void feedsTheLiveStatsWithEveryMessage() {
        metrics.requestCompleted("tools/call", "ok", Duration.ofMillis(10));
        metrics.requestCompleted("tools/call", "session_not_found", Duration.ofMillis(30));
        now.incrementAndGet();

        assertThat(metrics.live().lastSeconds(1)).containsExactly(new Second(now.get() - 1, 2, 1, 20.0, 30.0));
        assertThat(metrics.live().errorRate(1)).isEqualTo(0.5);
    }

    @Test
    void theDefaultAdapterKeepsLiveStatsOnTheSystemClock() {
        try (MicrometerMetricsAdapter adapter = new MicrometerMetricsAdapter()) {
            assertThat(adapter.live().lastSeconds(LiveStats.WINDOW_SECONDS)).hasSize(LiveStats.WINDOW_SECONDS);
        }
    }

    private List<String> lines() {
        return metrics.scrape().lines().toList();
    }
}
