package io.mcprelay.bootstrap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which {@code MCP_RELAY_*} variables of the environment are settings, and what the others are.
 * Unlike the file and the command line, the environment is not only the user's: Kubernetes injects
 * service links for every Service in the namespace, and a Service named {@code mcp-relay} (or
 * {@code mcp-relay-admin}, ...) brings {@code MCP_RELAY_SERVICE_HOST}, {@code MCP_RELAY_PORT=tcp://10.0.0.1:8080},
 * {@code MCP_RELAY_PORT_8080_TCP_ADDR} and so on. Refusing those made the pod crash-loop, so an unknown
 * name here is a warning, not an error, and the service-link shapes are skipped without one, including
 * a {@code *_PORT} whose value is {@code tcp://host:port} (never a port of ours, not even for
 * {@code MCP_RELAY_PORT} or {@code MCP_RELAY_ADMIN_PORT}).
 */
final class EnvironmentNames {

    private static final String PREFIX = "MCP_RELAY_";
    /** Variables bin/mcp-relay reads itself (JVM options, interceptor modules): not options of the relay. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("MCP_RELAY_JAVA_OPTS", "MCP_RELAY_MODULE_PATH");
    /** {@code <SERVICE>_SERVICE_HOST}, {@code <SERVICE>_SERVICE_PORT}, {@code <SERVICE>_SERVICE_PORT_<PORT NAME>}. */
    private static final Pattern SERVICE_NAME = Pattern.compile("MCP_RELAY(_[A-Z0-9_]+)?_SERVICE_(HOST|PORT(_[A-Z0-9_]+)?)");
    /** {@code <SERVICE>_PORT_<port>_<PROTOCOL>} and its {@code _PROTO}, {@code _PORT}, {@code _ADDR}. */
    private static final Pattern PORT_NAME = Pattern.compile("MCP_RELAY(_[A-Z0-9_]+)?_PORT_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?");
    /** {@code <SERVICE>_PORT=tcp://10.0.0.1:8080}. */
    private static final Pattern PORT_LINK = Pattern.compile("MCP_RELAY(_[A-Z0-9_]+)?_PORT");
    private static final Pattern LINK_VALUE = Pattern.compile("(tcp|udp|sctp)://[^/\\s]+:[0-9]+");

    private EnvironmentNames() {
    }

    /** What one {@code MCP_RELAY_*} variable is. */
    enum Kind {
        /** An option of the relay: {@code MCP_RELAY_} and the flag's name in upper case with underscores. */
        SETTING,
        /** {@code MCP_RELAY_CONFIG} or a variable bin/mcp-relay reads: accepted, not a setting. */
        ACCEPTED,
        /** Injected by Kubernetes for a Service: skipped without a word. */
        SERVICE_LINK,
        /** Anything else: skipped with a warning. */
        UNKNOWN
    }

    static Kind kind(String name, String value) {
        if (LAUNCHER_VARIABLES.contains(name) || name.equals(CommandLine.CONFIG_VARIABLE)) {
            return Kind.ACCEPTED;
        }
        if (SERVICE_NAME.matcher(name).matches() || PORT_NAME.matcher(name).matches()
                || PORT_LINK.matcher(name).matches() && value != null && LINK_VALUE.matcher(value.trim()).matches()) {
            return Kind.SERVICE_LINK;
        }
        return Settings.isOption(flagOf(name)) ? Kind.SETTING : Kind.UNKNOWN;
    }

    /** {@code --redis-url} for {@code MCP_RELAY_REDIS_URL}. */
    static String flagOf(String name) {
        return "--" + name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The {@code MCP_RELAY_*} names of {@code env}, sorted. */
    static List<String> names(Map<String, String> env) {
        List<String> names = new ArrayList<>();
        env.keySet().stream().filter(name -> name.startsWith(PREFIX)).forEach(names::add);
        Collections.sort(names);
        return names;
    }

    /**
     * One line naming every unknown {@code MCP_RELAY_*} variable (with the likely setting meant, for a
     * typo), or empty when there is none.
     */
    static Optional<String> warning(Map<String, String> env) {
        List<String> unknown = new ArrayList<>();
        for (String name : names(env)) {
            if (kind(name, env.get(name)) == Kind.UNKNOWN) {
                // compared without the prefix every name shares, else MCP_RELAY_FOO would be a "typo" of MCP_RELAY_PORT
                unknown.add(name + Suggestions.closest(name.substring(PREFIX.length()), variablesOfOptions())
                        .map(k -> " (did you mean \"" + PREFIX + k + "\"?)").orElse(""));
            }
        }
        if (unknown.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("ignoring environment variables that are not settings of mcp-relay (see --help): " + String.join(", ", unknown));
    }

    /** The option variables without their prefix ({@code REDIS_URL}), sorted so a tie always suggests the same one. */
    private static List<String> variablesOfOptions() {
        List<String> variables = new ArrayList<>();
        for (String flag : Settings.VALUED) {
            variables.add(flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        for (String flag : Settings.SWITCHES) {
            variables.add(flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        Collections.sort(variables);
        return variables;
    }
}
