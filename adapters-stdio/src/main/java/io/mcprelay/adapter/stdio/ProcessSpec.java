package io.mcprelay.adapter.stdio;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to run for a stdio upstream: the program and its arguments (run directly, never through a
 * shell: no globbing, no variables, no pipes), the environment variables to set on top of the
 * minimal set ({@link ProcessEnvironment}), and the working directory (the relay's own if empty).
 *
 * @param upstream the upstream's name, for logs, metrics and limits
 */
public record ProcessSpec(String upstream, String command, List<String> args, Map<String, String> env, Optional<Path> cwd) {

    public ProcessSpec {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(command, "command");
        if (command.isBlank()) {
            throw new IllegalArgumentException("a stdio upstream needs a command");
        }
        args = List.copyOf(args);
        env = Map.copyOf(env);
        Objects.requireNonNull(cwd, "cwd");
        env.keySet().forEach(name -> {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("not an environment variable name: '" + name + "'");
            }
        });
    }

    /** The command line, program first. */
    List<String> commandLine() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(command), args.stream()).toList();
    }
}
