package io.mcprelay.adapter.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.UpstreamHealth;
import io.mcprelay.domain.stream.StreamKind;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicrometerMetricsAdapterTest {

    private final MicrometerMetricsAdapter metrics = new MicrometerMetricsAdapter();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void openStreamGaugeGoesUpAndDownWhileOpenedCounterOnlyGrows() {
        metrics.streamOpened(StreamKind.STANDALONE);
        metrics.streamOpened(StreamKind.STANDALONE);
        metrics.streamOpened(StreamKind.POST_RESPONSE);

        assertThat(lines()).contains(
                "mcp_relay_streams_open{kind=\"standalone\"} 2.0",
                "mcp_relay_streams_open{kind=\"post_response\"} 1.0",
                "mcp_relay_streams_opened_total{kind=\"standalone\"} 2.0");

        metrics.streamClosed(StreamKind.STANDALONE);
        metrics.streamClosed(StreamKind.POST_RESPONSE);

        assertThat(lines()).contains(
                "mcp_relay_streams_open{kind=\"standalone\"} 1.0",
                "mcp_relay_streams_open{kind=\"post_response\"} 0.0",
                "mcp_relay_streams_opened_total{kind=\"standalone\"} 2.0",
                "mcp_relay_streams_opened_total{kind=\"post_response\"} 1.0");
    }

    @Test
    void buildInfoIsAConstantGaugeLabelledWithTheVersion() {
        metrics.registerBuildInfo("1.2.3");

        assertThat(lines()).contains("mcp_relay_build_info{version=\"1.2.3\"} 1");
    }

    @Test
    void countsTheBridgesSessionsAndParkedCalls() {
        metrics.bridgeSessionOpened();
        metrics.bridgeSessionOpened();
        metrics.bridgeSessionClosed("idle");
        metrics.bridgeCallParked();
        metrics.bridgeCallParked();
        metrics.bridgeCallUnparked("retried");

        assertThat(metrics.scrape()).contains(
                "mcp_relay_bridge_sessions_open 1.0",
                "mcp_relay_bridge_sessions_opened_total 2.0",
                "mcp_relay_bridge_sessions_closed_total{reason=\"idle\"} 1.0",
                "mcp_relay_bridge_calls_parked 1.0",
                "mcp_relay_bridge_calls_unparked_total{outcome=\"retried\"} 1.0");
    }

    @Test
    void countsStdioProcessesAliveStartedAndEndedByCause() {
        metrics.upstreamProcessStarted("fs");
        metrics.upstreamProcessStarted("fs");
        metrics.upstreamProcessExited("fs", "stopped");
        metrics.upstreamProcessExited("fs", "failed_to_start");

        assertThat(lines()).contains(
                "mcp_relay_upstream_processes_alive{upstream=\"fs\"} 1.0",
                "mcp_relay_upstream_process_starts_total{upstream=\"fs\"} 2.0",
                "mcp_relay_upstream_process_exits_total{cause=\"stopped\",upstream=\"fs\"} 1.0",
                "mcp_relay_upstream_process_exits_total{cause=\"failed_to_start\",upstream=\"fs\"} 1.0");
    }

    @Test
    void countsRelayedAndReplayedEvents() {
        metrics.eventRelayed();
        metrics.eventRelayed();
        metrics.eventRelayed();
        metrics.eventReplayed();

        assertThat(lines()).contains("mcp_relay_events_relayed_total 3.0", "mcp_relay_events_replayed_total 1.0");
    }

    @Test
    void countsInterceptorRuleHitsByRuleAndActionAndCodeInterceptorFailures() {
        metrics.interceptorRuleHit("deny-env", "block");
        metrics.interceptorRuleHit("deny-env", "block");
        metrics.interceptorRuleHit("no-passwords", "redact");
        metrics.interceptorFailed("audit");

        assertThat(lines()).contains(
                "mcp_relay_interceptor_hits_total{action=\"block\",rule=\"deny-env\"} 2.0",
                "mcp_relay_interceptor_hits_total{action=\"redact\",rule=\"no-passwords\"} 1.0",
                "mcp_relay_interceptor_failures_total{interceptor=\"audit\"} 1.0");
    }

    @Test
    void countsLimitedRequestsByLimitAndCallerClassWithBoundedLabels() {
        metrics.requestLimited("per-principal", "session");
        metrics.requestLimited("per-principal", "session");
        metrics.requestLimited("session-max-requests", "principal");
        metrics.requestLimited("per-tool:made-up-by-a-client", "alice");
        metrics.limitCheckFailed("open");
        metrics.limitCheckFailed("closed");
        metrics.limitCheckFailed("anything");

        assertThat(lines()).contains(
                "mcp_relay_requests_limited_total{caller=\"session\",limit=\"per-principal\"} 2.0",
                "mcp_relay_requests_limited_total{caller=\"principal\",limit=\"session-max-requests\"} 1.0",
                "mcp_relay_requests_limited_total{caller=\"other\",limit=\"other\"} 1.0",
                "mcp_relay_limit_store_failures_total{policy=\"open\"} 2.0",
                "mcp_relay_limit_store_failures_total{policy=\"closed\"} 1.0");
    }

    @Test
    void firstEventIsAHistogramInSeconds() {
        metrics.firstEvent(Duration.ofMillis(40));
        metrics.firstEvent(Duration.ofMillis(700));

        assertThat(lines()).contains(
                "mcp_relay_first_event_seconds_bucket{le=\"0.01\"} 0",
                "mcp_relay_first_event_seconds_bucket{le=\"0.05\"} 1",
                "mcp_relay_first_event_seconds_bucket{le=\"1.0\"} 2",
                "mcp_relay_first_event_seconds_bucket{le=\"+Inf\"} 2",
                "mcp_relay_first_event_seconds_count 2",
                "mcp_relay_first_event_seconds_sum 0.74");
    }

    @Test
    void countsRequestsByMethodAndStatusAndTimesThemByHttpMethod() {
        metrics.requestCompleted("POST", "tools/call", 200, Duration.ofMillis(30));
        metrics.requestCompleted("POST", "tools/call", 200, Duration.ofMillis(3));
        metrics.requestCompleted("DELETE", null, 404, Duration.ofMillis(1));

        assertThat(lines()).contains(
                "mcp_relay_requests_total{http_method=\"POST\",rpc_method=\"tools/call\",status=\"200\"} 2.0",
                "mcp_relay_requests_total{http_method=\"DELETE\",rpc_method=\"none\",status=\"404\"} 1.0",
                "mcp_relay_request_seconds_bucket{http_method=\"POST\",le=\"0.005\"} 1",
                "mcp_relay_request_seconds_bucket{http_method=\"POST\",le=\"0.05\"} 2",
                "mcp_relay_request_seconds_count{http_method=\"POST\"} 2");
    }

    @Test
    void mapsMethodsOutsideTheMcpSpecificationToOther() {
        metrics.requestCompleted("POST", "x/attacker-chosen-" + System.nanoTime(), 200, Duration.ofMillis(1));
        metrics.requestCompleted("POST", "tools/secret", 200, Duration.ofMillis(1));
        metrics.requestCompleted("BREW", "notifications/initialized", 405, Duration.ofMillis(1));

        String scrape = metrics.scrape();
        assertThat(scrape).contains(
                "mcp_relay_requests_total{http_method=\"POST\",rpc_method=\"other\",status=\"200\"} 2.0",
                "mcp_relay_requests_total{http_method=\"other\",rpc_method=\"notifications/initialized\",status=\"405\"} 1.0");
        assertThat(scrape).doesNotContain("attacker", "tools/secret", "BREW");
    }

    @Test
    void upstreamGaugesFollowTheQueryAtEachScrape() {
        List<UpstreamStatus> upstreams = new CopyOnWriteArrayList<>(List.of(
                status("alpha", UpstreamHealth.HEALTHY, "CLOSED", 3),
                status("beta", UpstreamHealth.UNKNOWN, "OPEN", 0)));
        metrics.bindUpstreams(() -> List.copyOf(upstreams));

        assertThat(lines()).contains(
                "mcp_relay_upstream_health{state=\"healthy\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_health{state=\"unknown\",upstream=\"beta\"} 1.0",
                "mcp_relay_upstream_health{state=\"healthy\",upstream=\"beta\"} 0.0",
                "mcp_relay_upstream_circuit_open{upstream=\"alpha\"} 0.0",
                "mcp_relay_upstream_circuit_open{upstream=\"beta\"} 1.0",
                "mcp_relay_upstream_in_flight{upstream=\"alpha\"} 3.0");

        upstreams.set(0, status("alpha", UpstreamHealth.UNHEALTHY, "HALF_OPEN", 1));
        upstreams.remove(1);

        List<String> after = lines();
        assertThat(after).contains(
                "mcp_relay_upstream_health{state=\"healthy\",upstream=\"alpha\"} 0.0",
                "mcp_relay_upstream_health{state=\"unhealthy\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_circuit_open{upstream=\"alpha\"} 0.0",
                "mcp_relay_upstream_in_flight{upstream=\"alpha\"} 1.0");
        assertThat(after).noneMatch(line -> line.contains("upstream=\"beta\""));
    }

    @Test
    void publishesNoUpstreamSeriesUntilBound() {
        assertThat(metrics.scrape()).doesNotContain("mcp_relay_upstream_health{");
    }

    @Test
    void theDuplicateHealthyGaugeIsGone() {
        metrics.bindUpstreams(() -> List.of(status("alpha", UpstreamHealth.HEALTHY, "CLOSED", 0)));

        assertThat(metrics.scrape()).doesNotContain("mcp_relay_upstream_healthy");
    }

    @Test
    void upstreamExchangesCountByOutcomeAndOnlyFaultsAsErrors() {
        metrics.upstreamExchange("alpha", "ok", Duration.ofMillis(3));
        metrics.upstreamExchange("alpha", "client_error", Duration.ofMillis(3));
        metrics.upstreamExchange("alpha", "timeout", Duration.ofSeconds(2));

        assertThat(lines()).contains(
                "mcp_relay_upstream_requests_total{outcome=\"ok\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_requests_total{outcome=\"client_error\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_errors_total{kind=\"timeout\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_request_seconds_count{upstream=\"alpha\"} 3");
        assertThat(lines()).noneMatch(line -> line.startsWith("mcp_relay_upstream_errors_total{kind=\"client_error\""));
    }

    @Test
    void modernMessagesAreCountedUnderTheirEraAndServerDiscoverUnderItsOwnName() {
        metrics.requestCompleted("server/discover", "ok", Duration.ofMillis(1), io.mcprelay.domain.era.ProtocolEra.MODERN);
        metrics.requestCompleted("tools/call", "modern_header_mismatch", Duration.ofMillis(1), io.mcprelay.domain.era.ProtocolEra.MODERN);

        assertThat(lines()).contains(
                "mcp_relay_messages_total{era=\"modern\",fault=\"none\",outcome=\"ok\",rpc_method=\"server/discover\"} 1.0",
                "mcp_relay_messages_total{era=\"modern\",fault=\"client\",outcome=\"modern_header_mismatch\",rpc_method=\"tools/call\"} 1.0");
    }

    @Test
    void messageOutcomesSayWhoseFaultAFailureWas() {
        metrics.requestCompleted("initialize", "ok", Duration.ofMillis(1));
        metrics.requestCompleted("initialize", "upstream_refused", Duration.ofMillis(1));
        metrics.requestCompleted("tools/call", "upstream_timeout", Duration.ofMillis(1));
        metrics.requestCompleted("tools/call", "session_not_found", Duration.ofMillis(1));
        metrics.requestCompleted("tools/call", "store_unavailable", Duration.ofMillis(1));

        assertThat(lines()).contains(
                "mcp_relay_messages_total{era=\"legacy\",fault=\"none\",outcome=\"ok\",rpc_method=\"initialize\"} 1.0",
                "mcp_relay_messages_total{era=\"legacy\",fault=\"client\",outcome=\"upstream_refused\",rpc_method=\"initialize\"} 1.0",
                "mcp_relay_messages_total{era=\"legacy\",fault=\"upstream\",outcome=\"upstream_timeout\",rpc_method=\"tools/call\"} 1.0",
                "mcp_relay_messages_total{era=\"legacy\",fault=\"client\",outcome=\"session_not_found\",rpc_method=\"tools/call\"} 1.0",
                "mcp_relay_messages_total{era=\"legacy\",fault=\"relay\",outcome=\"store_unavailable\",rpc_method=\"tools/call\"} 1.0");
    }

    @Test
    void listenerGaugesAndReloadsAreReadAtTheScrape() {
        java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
        metrics.bindGauges(new MicrometerMetricsAdapter.ListenerGauges(draining::get, () -> 2, () -> 3, () -> 4, () -> 5, () -> 6),
                () -> 7);
        metrics.configReloaded(true);
        metrics.configReloaded(false);
        metrics.configReloaded(false);
        draining.set(true);

        assertThat(lines()).contains("mcp_relay_draining 1.0", "mcp_relay_requests_in_flight 2.0", "mcp_relay_client_connections_open 3.0",
                "mcp_relay_client_connections_total{event=\"refused\"} 4.0", "mcp_relay_client_connections_total{event=\"evicted\"} 5.0",
                "mcp_relay_client_connections_total{event=\"timed_out\"} 6.0", "mcp_relay_sessions_active 7.0",
                "mcp_relay_config_reloads_total{result=\"ok\"} 1.0", "mcp_relay_config_reloads_total{result=\"failed\"} 2.0");
    }

    @Test
    void includesJvmMeters() {
        assertThat(metrics.scrape()).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads ", "process_uptime_seconds ");
    }

    @Test
    void bindsJvmMetersOnlyOnceWhetherBoundAheadOrByTheFirstScrape() {
        metrics.bindJvmMeters();
        metrics.bindJvmMeters();
        String scrape = metrics.scrape();

        assertThat(scrape).contains("jvm_gc_memory_allocated_bytes_total ", "system_cpu_count ");
        assertThat(scrape.lines().filter(line -> line.startsWith("process_uptime_seconds ")).count()).isEqualTo(1);
    }

    @Test
    void aScrapeWhileAnotherThreadBindsTheJvmMetersWaitsForThemAndBothBindOnce() throws Exception {
        Thread binder = Thread.ofPlatform().start(metrics::bindJvmMeters);
        String scrape = metrics.scrape();
        binder.join(10_000);

        assertThat(binder.isAlive()).isFalse();
        assertThat(scrape).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads ", "process_uptime_seconds ");
    }

    @Test
    void bindsNothingAfterClose() {
        MicrometerMetricsAdapter closed = new MicrometerMetricsAdapter();
        closed.close();

        closed.bindJvmMeters();

        assertThat(closed.scrape()).doesNotContain("jvm_memory_used_bytes{");
    }

    private List<String> lines() {
        return metrics.scrape().lines().toList();
    }

    private static UpstreamStatus status(String name, UpstreamHealth health, String breaker, int inFlight) {
        return new UpstreamStatus(name, URI.create("http://" + name + ".test/mcp"), 1, true, health, breaker, inFlight, List.of());
    }
}
