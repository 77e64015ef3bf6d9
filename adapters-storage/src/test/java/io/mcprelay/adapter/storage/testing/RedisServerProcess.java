package io.mcprelay.adapter.storage.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the test's own, on a free loopback port, with no persistence: start it,
 * point a store at {@link #uri()}, {@link #stop()} and {@link #start()} it to test outages, close
 * it at the end. Also in the test-jar, for tests of other modules.
 *
 * <p>The binary is {@code redis-server} on the {@code PATH}, else {@code /usr/bin/redis-server};
 * without one, {@link #startOnFreePort()} fails saying how to install it. Its output goes to a log
 * file whose tail is quoted when it fails to start. A shutdown hook kills a server a test forgot.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Duration START_PATIENCE = Duration.ofSeconds(10);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    private final Path binary;
    private final int port;
    private final Path logFile;
    private final Thread killer;
    private Process process;

    private RedisServerProcess(Path binary, int port, Path logFile) {
        this.binary = binary;
        this.port = port;
        this.logFile = logFile;
        this.killer = new Thread(this::kill, "redis-server-killer-" + port);
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts a server on a free loopback port and waits until it answers PING. */
    public static RedisServerProcess startOnFreePort() {
        Path binary = locateBinary();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            RedisServerProcess server;
            try {
                server = new RedisServerProcess(binary, port, Files.createTempFile("redis-server-" + port + "-", ".log"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the redis-server log file", e);
            }
            try {
                server.start();
                return server;
            } catch (IllegalStateException e) {
                server.close();
                last = e;
            }
        }
        throw last;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** (Re)starts the server on its port, empty, and waits until it answers PING. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            sleep(Duration.ofMillis(20));
        }
        kill();
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within " + START_PATIENCE + ": " + logTail());
    }

    /** Stops the server (its data is lost) and waits until it is gone; {@link #start()} brings it back. */
    /**
     * Freezes the server (SIGSTOP): its connections stay open and take commands into their socket
     * buffers, but nothing answers until {@link #thaw()} (SIGCONT) runs them, in order: a Redis that
     * hangs, not one that is down.
     */
    public synchronized void freeze() {
        signal("-STOP");
    }

    /** Lets a {@link #freeze() frozen} server run again. */
    public synchronized void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public synchronized void stop() {
        kill();
    }

    /** Stops the server for good. */
    @Override
    public synchronized void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
    }

    /**
     * Runs one command on a connection of its own and returns the reply: a String for a simple or
     * bulk string (null for nil), a Long for an integer, a List for an array.
     *
     * @throws IllegalStateException  for an error reply
     * @throws UncheckedIOException   when the server cannot be reached
     */
    public Object command(String... args) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " is unreachable", e);
        }
    }

    private synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private static Object reply(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IllegalStateException("Redis answered an error: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] bytes = in.readNBytes(length);
                line(in);
                yield new String(bytes, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(reply(in));
                }
                yield count < 0 ? null : items;
            }
            default -> throw new IOException("not a RESP reply: " + (char) type + line);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed mid-reply");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }

    private static Path locateBinary() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        Path debian = Path.of("/usr/bin/redis-server");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        throw new IllegalStateException("redis-server is not on the PATH nor at /usr/bin/redis-server;"
                + " the Redis store tests start their own: install redis-server: apt-get install redis-server");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
