package io.mcprelay.bootstrap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The effective configuration: the options the relay runs with and how it logs, resolved from the
 * defaults, the configuration file, the environment and the command line, in rising precedence.
 *
 * @param options   everything the relay is built from
 * @param logFormat  {@code text} or {@code json}
 * @param operations how the process stops (drain) and what it logs of requests
 */
record Configuration(RelayOptions options, String logFormat, OperationsOptions operations) {

    Configuration {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(operations, "operations");
    }

    /**
     * The configuration file named by {@code --config} or, failing that, by {@code MCP_RELAY_CONFIG}.
     */
    static Optional<Path> fileOf(CommandLine.Arguments arguments, Map<String, String> env) {
        return arguments.configFile().or(() -> Optional.ofNullable(env.get(CommandLine.CONFIG_VARIABLE)))
                .filter(name -> !name.isBlank()).map(Path::of);
    }

    /**
     * Resolves the configuration: every value of every layer is checked (so a bad key in the file is
     * reported even when the environment overrides it), then the layers are combined. Throws with
     * every problem found.
     */
    static Configuration resolve(CommandLine.Arguments arguments, Map<String, String> env) throws ConfigException {
        Optional<Path> file = fileOf(arguments, env);
        ConfigFile.Contents contents = file.isPresent() ? ConfigFile.read(file.get()) : ConfigFile.Contents.NONE;
        Configuration resolved = resolve(TracingSettings.otelEnvironment(env), contents, CommandLine.environment(env), arguments.settings());
        TracingOptions tracing = resolved.operations().tracing().withHeaders(TracingSettings.otelHeaders(env));
        if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").strip())) {
            tracing = tracing.off();
        }
        return new Configuration(resolved.options(), resolved.logFormat(), resolved.operations().withTracing(tracing));
    }

    /** {@link #resolve(CommandLine.Arguments, Map)} for already-read layers. */
    static Configuration resolve(ConfigFile.Contents file, Map<String, List<Setting>> env, Map<String, List<Setting>> commandLine)
            throws ConfigException {
        return resolve(Map.of(), file, env, commandLine);
    }

    /** As {@link #resolve(ConfigFile.Contents, Map, Map)}, over the defaults OpenTelemetry's environment gives ({@code otel}). */
    static Configuration resolve(Map<String, List<Setting>> otel, ConfigFile.Contents file, Map<String, List<Setting>> env,
                                 Map<String, List<Setting>> commandLine) throws ConfigException {
        List<String> problems = new ArrayList<>(file.problems());
        Settings.check(otel, problems);
        Settings.check(file.settings(), problems);
        Settings.check(env, problems);
        Settings.check(commandLine, problems);
        Map<String, List<Setting>> merged = Settings.layered(otel, file.settings(), env, commandLine);
        Set<String> disabled = Settings.replacesUpstreams(env) || Settings.replacesUpstreams(commandLine) ? Set.of() : file.disabled();
        Optional<RelayOptions> options = Settings.options(merged, disabled, file.rules(), problems);
        if (options.isEmpty()) {
            throw new ConfigException(problems);
        }
        // upstreams given by the environment or the command line replace the file's, and with them their credentials
        Map<String, UpstreamAuth> upstreamAuth = Settings.replacesUpstreams(env) || Settings.replacesUpstreams(commandLine)
                ? Map.of() : file.upstreamAuth();
        return new Configuration(options.get().withUpstreamAuth(upstreamAuth), Settings.logFormat(merged), Settings.operations(merged));
    }
}
