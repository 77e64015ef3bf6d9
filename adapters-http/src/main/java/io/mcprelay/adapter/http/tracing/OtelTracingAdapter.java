package io.mcprelay.adapter.http.tracing;

import io.mcprelay.application.port.out.trace.TraceAttributes;
import io.mcprelay.application.port.out.trace.TraceContext;
import io.mcprelay.application.port.out.trace.TraceSpan;
import io.mcprelay.application.port.out.trace.TracingPort;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tracing port on OpenTelemetry's SDK. A span's parent comes from W3C {@code traceparent} /
 * {@code tracestate} (and {@code baggage}) fields; its {@link TraceSpan#context() context} is those
 * fields again, naming the span. Sampling is parent-based: a request that arrives sampled (or not)
 * stays so; new traces are sampled at the configured ratio. Spans are exported in batches over
 * OTLP/HTTP (protobuf); the batch processor's queue is bounded (spans past it are dropped, never
 * blocking a request).
 */
public final class OtelTracingAdapter implements TracingPort, AutoCloseable {

    private static final String SCOPE = "io.mcprelay";
    private static final TextMapPropagator PROPAGATOR = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
            W3CBaggagePropagator.getInstance());
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    /** Spans go to {@code provider} (tests give one with an in-memory exporter). */
    public OtelTracingAdapter(SdkTracerProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.tracer = provider.get(SCOPE);
    }

    /** Exports over OTLP/HTTP as {@code config} says. */
    public static OtelTracingAdapter otlp(TracingConfig config) {
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(config.tracesUrl().toString())
                .setTimeout(config.timeout());
        config.headers().forEach(exporter::addHeader);
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), config.serviceName(),
                AttributeKey.stringKey("service.version"), config.serviceVersion())));
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build())
                .build();
        return new OtelTracingAdapter(provider);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public TraceSpan start(String name, TracingPort.SpanKind kind, TraceContext parent) {
        return start(name, kind, parent, null);
    }

    @Override
    public TraceSpan start(String name, TracingPort.SpanKind kind, TraceContext parent, Instant startedAt) {
        try {
            Context parentContext = PROPAGATOR.extract(Context.root(), parent.fields(), GETTER);
            var builder = tracer.spanBuilder(name)
                    .setParent(parentContext)
                    .setSpanKind(kind == TracingPort.SpanKind.SERVER ? io.opentelemetry.api.trace.SpanKind.SERVER : io.opentelemetry.api.trace.SpanKind.CLIENT);
            if (startedAt != null) {
                builder.setStartTimestamp(startedAt);
            }
            Span span = builder.startSpan();
            return new OtelSpan(span, parentContext.with(span));
        } catch (RuntimeException e) {
            // tracing must never fail a request: a span that cannot start records nothing
            return TraceSpan.none(parent);
        }
    }

    /** Exports the spans still queued (bounded by a few seconds) and stops the exporter. */
    @Override
    public void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }

    /** Exports the spans queued so far, waiting at most a few seconds. */
    public void flush() {
        provider.forceFlush().join(5, TimeUnit.SECONDS);
    }

    private static final class OtelSpan implements TraceSpan {
        private final Span span;
        private final Context context;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile TraceContext propagated;

        OtelSpan(Span span, Context context) {
            this.span = span;
            this.context = context;
        }

        @Override
        public TraceContext context() {
            TraceContext fields = propagated;
            if (fields == null) {
                Map<String, String> carrier = new HashMap<>();
                PROPAGATOR.inject(context, carrier, (c, key, value) -> c.put(key, value));
                fields = TraceContext.of(carrier);
                propagated = fields;
            }
            return fields;
        }

        @Override
        public void name(String name) {
            span.updateName(name);
        }

        @Override
        public void attribute(String key, String value) {
            if (value != null) {
                span.setAttribute(key, value);
            }
        }

        @Override
        public void attribute(String key, long value) {
            span.setAttribute(key, value);
        }

        @Override
        public void failed(String errorType) {
            span.setAttribute(TraceAttributes.ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR, errorType);
        }

        @Override
        public void end() {
            if (ended.compareAndSet(false, true)) {
                span.end();
            }
        }
    }
}
