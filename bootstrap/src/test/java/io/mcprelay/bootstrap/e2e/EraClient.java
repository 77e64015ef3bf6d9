package io.mcprelay.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An official MCP SDK client driven by {@code e2e/era/client.mjs}: it connects to an endpoint, runs the
 * era-matrix scenario (tools/list, echo, progress, elicitation answered with a fixed form, list-changed
 * when the server offers the trigger) and reports one JSON object, which {@link #run} returns without
 * its {@code url} member so that a direct run and a run through mcp-relay compare equal when they behave
 * the same.
 */
public enum EraClient {
    /** {@code @modelcontextprotocol/sdk} 1.x: 2025 era only. */
    V1("v1"),
    /** {@code @modelcontextprotocol/client} 2.4.0, version negotiation {@code 'auto'}: probes with server/discover, falls back to initialize. */
    V2_AUTO("v2-auto"),
    /** {@code @modelcontextprotocol/client} 2.4.0 pinned to 2026-07-28: no fallback. */
    V2_MODERN("v2-modern"),
    /** {@code @modelcontextprotocol/client} 2.4.0 in its default mode {@code 'legacy'}: initialize only. */
    V2_LEGACY("v2-legacy");

    static final String SCRIPT = "e2e/era/client.mjs";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String argument;

    EraClient(String argument) {
        this.argument = argument;
    }

    /** The driver's name for this client. */
    public String argument() {
        return argument;
    }

    /**
     * Runs the scenario against {@code endpoint} (at most 120 s) and returns the driver's JSON result
     * without {@code url}: {@code {"client", "connect": {"ok", "era", "protocolVersion", "server" | "error"}, "steps": {...}}}.
     */
    public ObjectNode run(URI endpoint) {
        Path root = ServerEverything.projectRoot();
        Path logDir = root.resolve("bootstrap/target/era-client");
        try {
            Files.createDirectories(logDir);
            Path stderr = Files.createTempFile(logDir, argument + "-", ".log");
            Path stdout = Files.createTempFile(logDir, argument + "-", ".json");
            Process process = new ProcessBuilder(ServerEverything.findNode().toString(), root.resolve(SCRIPT).toString(),
                    argument, endpoint.toString())
                    .directory(root.resolve("e2e").toFile())
                    .redirectError(stderr.toFile())
                    .redirectOutput(stdout.toFile())
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " " + argument + " did not finish within " + RUN_TIMEOUT.toSeconds() + " s");
            }
            String text = Files.readString(stdout, StandardCharsets.UTF_8).strip();
            String line = text.substring(text.lastIndexOf('\n') + 1);
            if (process.exitValue() != 0 || !line.startsWith("{")) {
                throw new IllegalStateException(SCRIPT + " " + argument + " " + endpoint + " exited with " + process.exitValue()
                        + ", stdout:\n" + text + "\nstderr (" + stderr + "):\n" + EraServer.read(stderr));
            }
            JsonNode result = JSON.readTree(line);
            ObjectNode object = (ObjectNode) result;
            object.remove("url");
            return object;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + SCRIPT + " " + argument, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + SCRIPT, e);
        }
    }
}
