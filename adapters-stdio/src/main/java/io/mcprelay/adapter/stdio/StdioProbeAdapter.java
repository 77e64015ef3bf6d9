package io.mcprelay.adapter.stdio;

import io.mcprelay.application.port.out.UpstreamProbePort;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The health probe of stdio upstreams: healthy while a new session's process could be started, that
 * is, the command is an executable file (a path, or found on the relay's {@code PATH}, as the process
 * launch looks it up) and the working directory, if one is set, is a directory.
 *
 * <p>A probe does not start the server: that would run {@code npx} (maybe a download) every
 * interval, and a stdio server serves one client, so a probe process would prove nothing about the
 * sessions' own. How the running processes fare shows elsewhere: a start that fails or a process
 * that dies answers its calls with {@code unreachable}, which passive health and the circuit breaker
 * count, and in the process metrics (exits by cause).
 */
public final class StdioProbeAdapter implements UpstreamProbePort {

    private final String path;

    /** Looks commands up on the relay's own {@code PATH}. */
    public StdioProbeAdapter() {
        this(Optional.ofNullable(System.getenv("PATH")).orElse(""));
    }

    StdioProbeAdapter(String path) {
        this.path = path;
    }

    @Override
    public Result probe(UpstreamTarget target, Duration timeout) {
        if (!(target.transport() instanceof UpstreamTransport.Stdio stdio)) {
            return new Result(false, "not a stdio upstream");
        }
        if (stdio.cwd().isPresent() && !Files.isDirectory(Path.of(stdio.cwd().get()))) {
            return new Result(false, "working directory " + stdio.cwd().get() + " is not a directory");
        }
        return executable(stdio.command())
                .map(found -> new Result(true, "can start " + found))
                .orElseGet(() -> new Result(false, "command " + stdio.command() + " not found or not executable"
                        + (stdio.command().contains("/") ? "" : " on PATH")));
    }

    private Optional<Path> executable(String command) {
        if (command.contains("/")) {
            Path file = Path.of(command);
            return isExecutableFile(file) ? Optional.of(file) : Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (isExecutableFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
