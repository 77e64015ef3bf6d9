package io.mcprelay.adapter.http.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.out.trace.TraceContext;
import io.mcprelay.application.port.out.trace.TraceSpan;
import io.mcprelay.application.port.out.trace.TracingPort;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtelTracingAdapterTest {

    private static final String PARENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00-" + PARENT_TRACE + "-00f067aa0ba902b7-01";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private OtelTracingAdapter tracing = adapter(Sampler.alwaysOn());

    private OtelTracingAdapter adapter(Sampler sampler) {
        return new OtelTracingAdapter(SdkTracerProvider.builder().setSampler(Sampler.parentBased(sampler))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build());
    }

    @AfterEach
    void close() {
        tracing.close();
    }

    @Test
    void aServerSpanContinuesTheClientsTraceAndItsChildContinuesIt() {
        Instant arrived = Instant.now().minusMillis(250);
        TraceSpan server = tracing.start("POST /mcp", TracingPort.SpanKind.SERVER,
                TraceContext.of(Map.of("traceparent", PARENT, "tracestate", "vendor=abc", "baggage", "tenant=acme")), arrived);
        server.name("tools/call echo");
        server.attribute("mcp.method.name", "tools/call");
        server.attribute("http.response.status_code", 200);
        TraceSpan client = tracing.start("tools/call echo", TracingPort.SpanKind.CLIENT, server.context());
        client.failed("unreachable_timeout");
        client.end();
        server.end();
        server.end();

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(2);
        SpanData child = spans.get(0);
        SpanData parent = spans.get(1);
        assertThat(parent.getName()).isEqualTo("tools/call echo");
        assertThat(parent.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(parent.getTraceId()).isEqualTo(PARENT_TRACE);
        assertThat(parent.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(parent.getStartEpochNanos()).isEqualTo(arrived.getEpochSecond() * 1_000_000_000L + arrived.getNano());
        assertThat(parent.getAttributes().get(AttributeKey.stringKey("mcp.method.name"))).isEqualTo("tools/call");
        assertThat(parent.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(parent.getSpanContext().getTraceState().get("vendor")).isEqualTo("abc");
        assertThat(child.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanId());
        assertThat(child.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(child.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("unreachable_timeout");

        TraceContext propagated = server.context();
        assertThat(propagated.traceparent()).hasValue("00-" + PARENT_TRACE + "-" + parent.getSpanId() + "-01");
        assertThat(propagated.fields()).containsEntry("tracestate", "vendor=abc").containsEntry("baggage", "tenant=acme");
    }

    @Test
    void withoutAValidParentASpanStartsANewTrace() {
        TraceSpan span = tracing.start("GET stream", TracingPort.SpanKind.SERVER, TraceContext.of(Map.of("traceparent", "garbage")));
        span.attribute("ignored", (String) null);
        span.end();

        SpanData data = exporter.getFinishedSpanItems().getFirst();
        assertThat(data.getTraceId()).isNotEqualTo(PARENT_TRACE).hasSize(32);
        assertThat(data.getParentSpanContext().isValid()).isFalse();
        assertThat(span.context().traceparent()).hasValueSatisfying(tp -> assertThat(tp).contains(data.getTraceId()));
    }

    @Test
    void anUnsampledClientTraceStaysUnsampledButItsIdsStillTravel() {
        tracing = adapter(Sampler.alwaysOn());
        String unsampled = "00-" + PARENT_TRACE + "-00f067aa0ba902b7-00";

        TraceSpan span = tracing.start("POST /mcp", TracingPort.SpanKind.SERVER, TraceContext.of(Map.of("traceparent", unsampled)));
        span.end();

        assertThat(exporter.getFinishedSpanItems()).isEmpty();
        assertThat(span.context().traceparent()).hasValueSatisfying(tp -> assertThat(tp).startsWith("00-" + PARENT_TRACE + "-").endsWith("-00"));
        assertThat(tracing.enabled()).isTrue();
    }

    @Test
    void aZeroRatioRecordsNoNewTrace() {
        tracing = adapter(Sampler.traceIdRatioBased(0));

        tracing.start("POST /mcp", TracingPort.SpanKind.SERVER, TraceContext.NONE).end();

        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void theOtlpExporterIsBuiltFromTheConfigAndABareEndpointGetsTheTracesPath() {
        TracingConfig config = new TracingConfig(URI.create("http://127.0.0.1:1"), "svc", "1.0", 0.5, Map.of("x-key", "k"), Duration.ofSeconds(1));
        assertThat(config.tracesUrl()).isEqualTo(URI.create("http://127.0.0.1:1/v1/traces"));
        assertThat(new TracingConfig(URI.create("http://c:4318/"), "s", "v", 1, Map.of(), Duration.ofSeconds(1)).tracesUrl())
                .isEqualTo(URI.create("http://c:4318/v1/traces"));
        assertThat(new TracingConfig(URI.create("http://c:4318/custom/spans"), "s", "v", 1, Map.of(), Duration.ofSeconds(1)).tracesUrl())
                .isEqualTo(URI.create("http://c:4318/custom/spans"));

        OtelTracingAdapter otlp = OtelTracingAdapter.otlp(config);
        otlp.start("x", TracingPort.SpanKind.SERVER, TraceContext.NONE).end();
        otlp.flush();    // the collector is not there: the export fails, quietly, within its timeout
        otlp.close();
    }
}
