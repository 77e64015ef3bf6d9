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
 * The reference MCP server {@code @modelcontextprotocol/server-everything}, pinned by
 * {@code e2e/package-lock.json}, run as a child process speaking Streamable HTTP on a free port.
 *
 * <p>Started as {@code PORT=<port> node e2e/node_modules/@modelcontextprotocol/server-everything/dist/index.js
 * streamableHttp}; the MCP endpoint is {@code /mcp} (POST answers are SSE streams, GET opens the
 * standalone stream, an in-memory event store makes streams resumable with {@code Last-Event-ID}).
 * The server listens on every interface (it has no host setting); tests talk to it on 127.0.0.1.
 * Its output goes to {@code bootstrap/target/server-everything/server-everything-<port>.log}.
 *
 * <p>Needs {@code node} on PATH and {@code npm ci --prefix e2e} run beforehand ({@code bin/test} does
 * both). Only the JDK is used. Typical use:
 * <pre>{@code
 * try (ServerEverything upstream = ServerEverything.start()) {
 *     URI mcp = upstream.mcpEndpoint();   // http://127.0.0.1:<port>/mcp
 * }
 * }</pre>
 */
public final class ServerEverything implements AutoCloseable {

    /** The pinned package version (must match {@code e2e/package.json}). */
    public static final String VERSION = "2026.8.31";

    /** Printed on stderr by the server once it listens: {@code "... listening on port <port>"}. */
    static final String READY_LINE = "MCP Streamable HTTP Server listening on port ";

    private static final String PACKAGE_DIR = "e2e/node_modules/@modelcontextprotocol/server-everything";
    private static final String ENTRY = "dist/index.js";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3; // the free port may be taken before node binds it

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread shutdownHook;

    private ServerEverything(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.shutdownHook = new Thread(this::destroyTree, "server-everything-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the server on a free loopback port and waits (at most 30 s) until it accepts connections.
     *
     * @throws IllegalStateException if node or the installed package is missing, or the server does not come up
     */
    public static ServerEverything start() {
        Path root = projectRoot();
        Path entry = root.resolve(PACKAGE_DIR).resolve(ENTRY);
        if (!Files.isRegularFile(entry)) {
            throw new IllegalStateException("The reference MCP server is not installed (" + entry
                    + " is missing): run `npm ci --prefix e2e` in " + root + " (bin/test does that)");
        }
        Path node = findNode();
        Path logDir = root.resolve("bootstrap/target/server-everything");
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return launch(node, entry, logDir, freePort());
            } catch (IllegalStateException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
                if (!e.getMessage().contains("EADDRINUSE") && !e.getMessage().contains("already in use")) {
                    break;
                }
            }
        }
        throw failure;
    }

    /** Starts the server again on {@code port} (e.g. where a stopped one listened), waiting as {@link #start()} does. */
    public static ServerEverything startOn(int port) {
        Path root = projectRoot();
        Path entry = root.resolve(PACKAGE_DIR).resolve(ENTRY);
        return launch(findNode(), entry, root.resolve("bootstrap/target/server-everything"), port);
    }

    /** The MCP endpoint, {@code http://127.0.0.1:<port>/mcp}. */
    public URI mcpEndpoint() {
        return URI.create("http://127.0.0.1:" + port + "/mcp");
    }

    /** The TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** The file holding the server's stdout and stderr. */
    public Path logFile() {
        return log;
    }

    /** Whether the server process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server and its descendants: SIGTERM, then SIGKILL after 10 s; waits for the exit. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
        destroyTree();
    }

    private void destroyTree() {
        List<ProcessHandle> tree = process.descendants().toList(); // before the parent dies and they are re-parented
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!awaitExit(tree, STOP_TIMEOUT)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            if (!awaitExit(tree, STOP_TIMEOUT)) {
                throw new IllegalStateException("server-everything (pid " + process.pid() + ") did not exit");
            }
        }
    }

    private boolean awaitExit(List<ProcessHandle> tree, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            for (ProcessHandle child : tree) {
                long left = deadline - System.nanoTime();
                child.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (Exception timeoutOrFailure) {
            return tree.stream().noneMatch(ProcessHandle::isAlive);
        }
    }

    private static ServerEverything launch(Path node, Path entry, Path logDir, int port) {
        Path log = logDir.resolve("server-everything-" + port + ".log");
        Process process;
        try {
            Files.createDirectories(logDir);
            ProcessBuilder builder = new ProcessBuilder(node.toString(), entry.toString(), "streamableHttp")
                    .directory(entry.getParent().getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("PORT", Integer.toString(port));
            process = builder.start();
            process.getOutputStream().close(); // the server reads nothing from stdin
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + node + " " + entry, e);
        }
        ServerEverything server = new ServerEverything(process, port, log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                server.close();
                throw new IllegalStateException("server-everything exited with code " + process.exitValue()
                        + " before listening on port " + port + "; log " + log + ":\n" + tail(log));
            }
            if (tail(log).contains(READY_LINE + port) || accepts(port)) {
                return server;
            }
            sleep(50);
        }
        server.close();
        throw new IllegalStateException("server-everything did not listen on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s; log " + log + ":\n" + tail(log));
    }

    /** {@code mcprelay.projectRoot} (set by the bootstrap pom), else the nearest ancestor holding e2e/package.json. */
    static Path projectRoot() {
        String configured = System.getProperty("mcprelay.projectRoot");
        if (configured != null && !configured.isBlank()
                && Files.isRegularFile(Path.of(configured, "e2e", "package.json"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("e2e/package.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the mcp-relay project root (a directory holding"
                + " e2e/package.json) from mcprelay.projectRoot=" + configured + " or " + start);
    }

    static Path findNode() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                for (String name : List.of("node", "node.exe")) {
                    Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return candidate;
                    }
                }
            }
        }
        throw new IllegalStateException("`node` is not on PATH; the end-to-end tests need Node.js >= 20"
                + " and `npm ci --prefix e2e` (bin/test does both)");
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

    /** The last 40 lines of the log (empty if it cannot be read). */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for server-everything", e);
        }
    }
}
