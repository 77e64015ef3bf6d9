package io.mcprelay.domain.routing;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How an upstream MCP server is reached: an HTTP endpoint, or a program to run. Sealed, so that a
 * new transport is a new case here, a new {@link TransportKind}, and one adapter registered for it;
 * nothing in the use cases changes.
 */
public sealed interface UpstreamTransport {

    TransportKind kind();

    /** For people: the URL, or the command line (never the environment, which may hold secrets). */
    String address();

    /** An MCP Streamable HTTP endpoint, {@code http} or {@code https}, e.g. {@code http://127.0.0.1:3001/mcp}. */
    record Http(URI endpoint) implements UpstreamTransport {

        public Http {
            Objects.requireNonNull(endpoint, "endpoint");
            String scheme = endpoint.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("an upstream URL must be http:// or https://, not " + endpoint);
            }
            if (endpoint.getHost() == null) {
                throw new IllegalArgumentException("an upstream URL needs a host: " + endpoint);
            }
        }

        @Override
        public TransportKind kind() {
            return TransportKind.HTTP;
        }

        @Override
        public String address() {
            return endpoint.toString();
        }
    }

    /**
     * A program that speaks MCP on its stdin and stdout. It is started directly, never through a
     * shell: {@code command} is one program (a path, or a name looked up on the {@code PATH}) and
     * {@code args} reach it as they are, so no quoting, globbing or variable expansion can happen.
     * Its environment is {@code env} plus what the adapter documents, not the relay's own.
     *
     * @param command the program, non-blank
     * @param args    its arguments, each passed as one argument
     * @param env     variables to set for it
     * @param cwd     its working directory, when not the relay's
     */
    record Stdio(String command, List<String> args, Map<String, String> env, Optional<String> cwd) implements UpstreamTransport {

        public Stdio {
            Objects.requireNonNull(command, "command");
            if (command.isBlank()) {
                throw new IllegalArgumentException("a stdio upstream needs a command");
            }
            requirePrintable(command, "the command");
            args = List.copyOf(args);
            args.forEach(arg -> requirePrintable(arg, "an argument"));
            env = Map.copyOf(env);
            env.forEach((name, value) -> {
                if (name.isEmpty() || name.indexOf('=') >= 0) {
                    throw new IllegalArgumentException("an environment variable name must be non-empty and without '=': " + name);
                }
                requirePrintable(name, "an environment variable name");
                requirePrintable(value, "the value of " + name);
            });
            Objects.requireNonNull(cwd, "cwd");
            cwd.ifPresent(dir -> {
                if (dir.isBlank()) {
                    throw new IllegalArgumentException("a stdio upstream's working directory must not be blank");
                }
                requirePrintable(dir, "the working directory");
            });
        }

        /** A program with arguments, the default environment and the relay's working directory. */
        public Stdio(String command, List<String> args) {
            this(command, args, Map.of(), Optional.empty());
        }

        @Override
        public TransportKind kind() {
            return TransportKind.STDIO;
        }

        @Override
        public String address() {
            return args.isEmpty() ? "stdio:" + command : "stdio:" + command + " " + String.join(" ", args);
        }

        /** NUL, CR and LF cannot be passed to a process faithfully, and would forge log lines. */
        private static void requirePrintable(String text, String what) {
            if (text.indexOf('\0') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(what + " of a stdio upstream must not contain NUL, CR or LF");
            }
        }
    }
}
