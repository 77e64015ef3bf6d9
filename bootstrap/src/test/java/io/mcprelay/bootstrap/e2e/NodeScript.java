package io.mcprelay.bootstrap.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a small Node.js script of {@code e2e/} (where its pinned packages resolve) and returns the last line it printed. */
public final class NodeScript {

    private NodeScript() {
    }

    /**
     * {@code node e2e/<script> args...}, at most {@code timeout}; its output goes to
     * {@code bootstrap/target/node-scripts/<script>.log}.
     *
     * @throws IllegalStateException if node or the script is missing, it runs too long, or prints nothing
     */
    public static String lastLine(String script, Duration timeout, String... args) throws IOException, InterruptedException {
        Path root = ServerEverything.projectRoot();
        Path file = root.resolve("e2e").resolve(script);
        if (!Files.isRegularFile(root.resolve("e2e/node_modules/@modelcontextprotocol/sdk/package.json"))) {
            throw new IllegalStateException("the MCP TypeScript SDK is not installed: run `npm ci --prefix e2e` in " + root);
        }
        List<String> command = new ArrayList<>(List.of(ServerEverything.findNode().toString(), file.toString()));
        command.addAll(List.of(args));
        Path logDir = Files.createDirectories(root.resolve("bootstrap/target/node-scripts"));
        Path log = logDir.resolve(script + ".log");
        Process process = new ProcessBuilder(command).directory(root.resolve("e2e").toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(script + " did not finish within " + timeout + "; see " + log);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("{")).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException(script + " printed no result; see " + log);
        }
        return lines.getLast();
    }
}
