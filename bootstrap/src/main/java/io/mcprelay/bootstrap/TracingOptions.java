package io.mcprelay.bootstrap;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * OpenTelemetry tracing (docs/tracing.md): off by default; when on, spans go over OTLP/HTTP to
 * {@code endpoint}. The standard {@code OTEL_*} environment variables give the defaults of the
 * endpoint, service name and sample ratio ({@link TracingSettings#otelEnvironment}) and the export headers;
 * {@code OTEL_SDK_DISABLED=true} keeps tracing off.
 *
 * @param enabled     whether spans are recorded and exported
 * @param endpoint    the OTLP/HTTP endpoint (with no path, {@code /v1/traces} is added)
 * @param serviceName the spans' {@code service.name}
 * @param sampleRatio the share (0-1) of new traces sampled (parent-based: a sampled client's trace stays sampled)
 * @param headers     headers sent with each export ({@code OTEL_EXPORTER_OTLP_HEADERS}); never printed
 */
record TracingOptions(boolean enabled, URI endpoint, String serviceName, double sampleRatio, Map<String, String> headers) {

    static final URI DEFAULT_ENDPOINT = URI.create("http://localhost:4318");
    static final String DEFAULT_SERVICE_NAME = "mcp-relay";

    TracingOptions {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(serviceName, "serviceName");
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new IllegalArgumentException("sampleRatio: 0..1, not " + sampleRatio);
        }
        headers = Map.copyOf(headers);
    }

    static TracingOptions defaults() {
        return new TracingOptions(false, DEFAULT_ENDPOINT, DEFAULT_SERVICE_NAME, 1.0, Map.of());
    }

    TracingOptions withHeaders(Map<String, String> exportHeaders) {
        return new TracingOptions(enabled, endpoint, serviceName, sampleRatio, exportHeaders);
    }

    TracingOptions off() {
        return new TracingOptions(false, endpoint, serviceName, sampleRatio, headers);
    }
}
