package io.mcprelay.adapter.http.tracing;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how spans are exported.
 *
 * @param endpoint       the OTLP/HTTP traces endpoint; a URL with no path gets OTLP's {@code /v1/traces}
 * @param serviceName    the {@code service.name} of the spans' resource
 * @param serviceVersion the {@code service.version}
 * @param sampleRatio    the share (0-1) of new traces recorded; a request that arrives with a trace
 *                       context follows its parent's sampling decision
 * @param headers        headers sent with every export (e.g. a collector's API key)
 * @param timeout        the bound of one export
 */
public record TracingConfig(URI endpoint, String serviceName, String serviceVersion, double sampleRatio, Map<String, String> headers,
                            Duration timeout) {

    public static final String DEFAULT_SERVICE_NAME = "mcp-relay";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public TracingConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(serviceVersion, "serviceVersion");
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new IllegalArgumentException("sampleRatio: 0..1, not " + sampleRatio);
        }
        headers = Map.copyOf(headers);
        Objects.requireNonNull(timeout, "timeout");
    }

    /** The URL spans are POSTed to: {@code endpoint}, with {@code /v1/traces} when it has no path. */
    public URI tracesUrl() {
        String path = endpoint.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            String base = endpoint.toString();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces");
        }
        return endpoint;
    }
}
