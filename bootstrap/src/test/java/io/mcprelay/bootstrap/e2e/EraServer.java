package io.mcprelay.bootstrap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The era-matrix test server {@code e2e/era/v2-server.mjs}: a small MCP server on the official TypeScript
 * SDK v2 ({@code @modelcontextprotocol/server}, pinned in {@code e2e/package.json}), run as a child process
 * on a free loopback port. Tools {@code echo}, {@code trigger-long-running-operation},
 * {@code trigger-elicitation-request} (an {@code input_required} result; a server-to-client elicitation on
 * 2025 sessions) and {@code trigger-list-changed}.
 *
 * <p>Its output goes to {@code bootstrap/target/era-server/v2-server-<mode>-<port>.log}. Needs {@code node}
 * (>= 20) on PATH and {@code npm ci --prefix e2e}.
 */
public final class EraServer implements AutoCloseable {

    /** How the server serves the two protocol eras. */
    public enum Mode {
        /** 2026-07-28 through the SDK's {@code createMcpHandler}, 2025-era traffic through a sessionful 2025 transport. */
        DUAL("dual"),
        /** Only 2026-07-28 ({@code legacy: 'reject'}): 2025-era requests get 400 {@code -32022}, GET and DELETE 405. */
        MODERN_ONLY("modern-only");

        private final String argument;

        Mode(String argument) {
            this.argument = argument;
        }

        public String argument() {
            return argument;
        }
    }

    /** The pinned SDK version (must match {@code e2e/package.json}). */
    public static final String SDK_VERSION = "2.4.0";

    static final String SCRIPT = "e2e/era/v2-server.mjs";
    private static final String SDK_PACKAGE = "e2e/node_modules/@modelcontextprotocol/server/package.json";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread shutdownHook;

    private EraServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.shutdownHook = new Thread(this::stop, "era-server-" + port + "-shutdown"); // no orphan node if the JVM dies first
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the server in {@code mode} on a free loopback port and waits (at most 30 s) until it accepts connections. */
    public static EraServer start(Mode mode) {
        Path root = ServerEverything.projectRoot();
        if (!Files.isRegularFile(root.resolve(SDK_PACKAGE))) {
            throw new IllegalStateException("The MCP TypeScript SDK v2 is not installed (" + root.resolve(SDK_PACKAGE)
                    + " is missing): run `npm ci --prefix e2e` in " + root);
        }
        int port = freePort();
        Path logDir = root.resolve("bootstrap/target/era-server");
        Path log = logDir.resolve("v2-server-" + mode.argument() + "-" + port + ".log");
        Process process;
        try {
            Files.createDirectories(logDir);
            process = new ProcessBuilder(ServerEverything.findNode().toString(), root.resolve(SCRIPT).toString(),
                    Integer.toString(port), mode.argument())
                    .directory(root.resolve("e2e").toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + SCRIPT, e);
        }
        EraServer server = new EraServer(process, port, log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                server.close();
                throw new IllegalStateException(SCRIPT + " exited with code " + process.exitValue() + "; log " + log
                        + ":\n" + read(log));
            }
            if (accepts(port)) {
                return server;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.close();
                throw new IllegalStateException("Interrupted while starting " + SCRIPT, e);
            }
        }
        server.close();
        throw new IllegalStateException(SCRIPT + " did not listen on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s; log " + log + ":\n" + read(log));
    }

    /** The MCP endpoint, {@code http://127.0.0.1:<port>/mcp}. */
    public URI mcpEndpoint() {
        return URI.create("http://127.0.0.1:" + port + "/mcp");
    }

    /** The file holding the server's output. */
    public Path logFile() {
        return log;
    }

    /** Stops the server: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
        stop();
    }

    private void stop() {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
