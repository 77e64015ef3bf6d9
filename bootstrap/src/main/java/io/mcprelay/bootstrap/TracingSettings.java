package io.mcprelay.bootstrap;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the tracing options are written, and what OpenTelemetry's standard environment variables give
 * them: a layer of its own below every other source, and export headers that only the environment
 * sets. Apart from {@link Settings} because the OpenTelemetry variables are a source of their own
 * with their own rules, which the rest of the options never meet.
 */
final class TracingSettings {

    private TracingSettings() {
    }

    /**
     * The defaults OpenTelemetry's standard environment gives the tracing options, as the lowest
     * layer: {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (else {@code OTEL_EXPORTER_OTLP_ENDPOINT}),
     * {@code OTEL_SERVICE_NAME}, and {@code OTEL_TRACES_SAMPLER_ARG} when {@code OTEL_TRACES_SAMPLER}
     * is a ratio sampler ({@code traceidratio}, {@code parentbased_traceidratio}) or unset.
     */
    static Map<String, List<Setting>> otelEnvironment(Map<String, String> env) {
        Map<String, List<Setting>> layer = new LinkedHashMap<>();
        for (String name : List.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                layer.put("--tracing-endpoint", List.of(new Setting(value.strip(), name)));
                break;
            }
        }
        String service = env.get("OTEL_SERVICE_NAME");
        if (service != null && !service.isBlank()) {
            layer.put("--tracing-service-name", List.of(new Setting(service, "OTEL_SERVICE_NAME")));
        }
        String sampler = env.getOrDefault("OTEL_TRACES_SAMPLER", "").strip().toLowerCase(Locale.ROOT);
        String ratio = env.get("OTEL_TRACES_SAMPLER_ARG");
        if (ratio != null && !ratio.isBlank() && (sampler.isEmpty() || sampler.equals("traceidratio") || sampler.equals("parentbased_traceidratio"))) {
            layer.put("--tracing-sample", List.of(new Setting(ratio, "OTEL_TRACES_SAMPLER_ARG")));
        }
        return layer;
    }

    /** {@code OTEL_EXPORTER_OTLP_TRACES_HEADERS} (else {@code OTEL_EXPORTER_OTLP_HEADERS}): {@code name=value,...}, values URL-decoded. */
    static Map<String, String> otelHeaders(Map<String, String> env) {
        String text = env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_HEADERS", env.get("OTEL_EXPORTER_OTLP_HEADERS"));
        Map<String, String> headers = new LinkedHashMap<>();
        if (text == null) {
            return headers;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                headers.put(pair.substring(0, eq).strip(),
                        java.net.URLDecoder.decode(pair.substring(eq + 1).strip(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return headers;
    }

    /** An {@code http://} or {@code https://} URL with a host: where traces are sent. */
    static URI endpoint(String label, String value) {
        try {
            URI uri = new URI(value.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(label + ": an http:// or https:// URL, not " + Settings.quoted(value));
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(label + ": an http:// or https:// URL, not " + Settings.quoted(value));
        }
    }

    /** A sampling ratio from 0 to 1. */
    static double ratio(String label, String value) {
        try {
            double ratio = Double.parseDouble(value.strip());
            if (ratio >= 0 && ratio <= 1) {
                return ratio;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(label + ": a ratio from 0 to 1 (e.g. 0.1), not " + Settings.quoted(value));
    }
}
