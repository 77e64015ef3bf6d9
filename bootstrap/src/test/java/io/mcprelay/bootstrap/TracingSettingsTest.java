package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tracing and trusted-proxy settings: flags, the OpenTelemetry environment beneath them, and bad values. */
class TracingSettingsTest {

    private static Configuration resolve(Map<String, String> env, String... flags) throws Exception {
        String[] all = new String[flags.length + 2];
        all[0] = "--upstream";
        all[1] = "http://127.0.0.1:1/mcp";
        System.arraycopy(flags, 0, all, 2, flags.length);
        return Configuration.resolve(CommandLine.parse(all), env);
    }

    @Test
    void offByDefaultWithTheUsualCollectorAndNoTrustedProxy() throws Exception {
        OperationsOptions operations = resolve(Map.of()).operations();

        assertThat(operations.tracing()).isEqualTo(TracingOptions.defaults());
        assertThat(operations.trustedProxies()).isEmpty();
    }

    @Test
    void theOpenTelemetryEnvironmentGivesTheDefaultsAndFlagsWin() throws Exception {
        Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_SERVICE_NAME", "gateway",
                "OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.25",
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key=s%3Dcret, x-tenant = acme");

        TracingOptions fromEnv = resolve(env, "--tracing").operations().tracing();
        assertThat(fromEnv.enabled()).isTrue();
        assertThat(fromEnv.endpoint()).isEqualTo(URI.create("http://collector:4318"));
        assertThat(fromEnv.serviceName()).isEqualTo("gateway");
        assertThat(fromEnv.sampleRatio()).isEqualTo(0.25);
        assertThat(fromEnv.headers()).containsEntry("api-key", "s=cret").containsEntry("x-tenant", "acme");

        TracingOptions flags = resolve(env, "--tracing", "--tracing-endpoint", "https://otel.example/v1/traces", "--tracing-sample", "1",
                "--tracing-service-name", "edge").operations().tracing();
        assertThat(flags.endpoint()).isEqualTo(URI.create("https://otel.example/v1/traces"));
        assertThat(flags.sampleRatio()).isEqualTo(1.0);
        assertThat(flags.serviceName()).isEqualTo("edge");

        assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://a:1/t", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://b:2"))
                .operations().tracing().endpoint()).isEqualTo(URI.create("http://a:1/t"));
        assertThat(resolve(Map.of("OTEL_TRACES_SAMPLER", "always_on", "OTEL_TRACES_SAMPLER_ARG", "0.5")).operations().tracing().sampleRatio())
                .as("the argument of another sampler is not a ratio").isEqualTo(1.0);
        assertThat(resolve(Map.of("OTEL_SDK_DISABLED", "true"), "--tracing").operations().tracing().enabled()).isFalse();
        assertThat(resolve(Map.of("MCP_RELAY_TRACING", "true", "MCP_RELAY_TRUSTED_PROXY", "10.0.0.0/8, 192.168.0.1")).operations())
                .satisfies(o -> {
                    assertThat(o.tracing().enabled()).isTrue();
                    assertThat(o.trustedProxies()).containsExactly("10.0.0.0/8", "192.168.0.1/32");
                });
    }

    @Test
    void badValuesAreRefusedNamingWhereTheyCameFrom() {
        assertThatThrownBy(() -> resolve(Map.of(), "--tracing-sample", "1.5")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--tracing-sample: a ratio from 0 to 1");
        assertThatThrownBy(() -> resolve(Map.of("OTEL_TRACES_SAMPLER_ARG", "lots"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("OTEL_TRACES_SAMPLER_ARG: a ratio from 0 to 1");
        assertThatThrownBy(() -> resolve(Map.of(), "--tracing-endpoint", "grpc://collector:4317")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("an http:// or https:// URL");
        assertThatThrownBy(() -> resolve(Map.of(), "--trusted-proxy", "proxy.internal")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--trusted-proxy: not an IP address or CIDR block");
        assertThatThrownBy(() -> resolve(Map.of(), "--tracing-service-name", " ")).isInstanceOf(ConfigException.class);
    }

    @Test
    void printConfigShowsTheTracingSectionButNeverTheExportHeaders() throws Exception {
        String printed = ConfigPrinter.yaml(resolve(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=hunter2-xyz"), "--tracing", "--tracing-sample",
                "0.5", "--trusted-proxy", "10.1.2.3/16"));

        assertThat(printed).contains("tracing:").contains("enabled: true").contains("sampleRatio: 0.5").contains("trustedProxies:")
                .contains("10.1.0.0/16").doesNotContain("hunter2-xyz");
    }
}
