package io.mcprelay.bootstrap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mcp-relay as users run it: {@code java -jar bootstrap/target/mcp-relay.jar ...} in its own process,
 * started by a test, which can also kill it hard ({@code kill -9}) to prove that nothing depends on
 * one instance staying alive.
 */
final class RelayProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("mcp-relay ready: http://[^:]+:(\\d+)/mcp");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private RelayProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(this::readOutput);
    }

    /** Starts the jar with {@code args} plus {@code --port 0} and waits (bounded) until it serves. */
    static RelayProcess start(String... args) throws Exception {
        return start(java.util.Map.of(), args);
    }

    /** As {@link #start(String...)}, with {@code env} added to the process's environment. */
    static RelayProcess start(java.util.Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary().toString(), "-Xmx256m", "-jar", jar().toString(), "--port", "0"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return started(builder);
    }

    /**
     * Starts the jar with at most {@code maxFiles} open descriptors ({@code ulimit -n}, through bash,
     * which then becomes the JVM: {@link #pid()} is the JVM's), the heap {@code heap} and the JVM's
     * exit on running out of memory, as bin/mcp-relay runs it.
     */
    static RelayProcess startLimited(int maxFiles, String heap, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -n " + maxFiles + " && exec \"$0\" \"$@\"",
                javaBinary().toString(), "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-jar", jar().toString(), "--port", "0"));
        command.addAll(List.of(args));
        return started(new ProcessBuilder(command));
    }

    /**
     * Starts the jar as bin/mcp-relay does when {@code MCP_RELAY_MODULE_PATH} names interceptor
     * modules: on the module path, with {@code modules} added to it (and the variable left in the
     * environment, as the script leaves it).
     */
    static RelayProcess startOnModulePath(List<Path> modules, String... args) throws Exception {
        String extra = String.join(java.io.File.pathSeparator, modules.stream().map(Path::toString).toList());
        String modulePath = String.join(java.io.File.pathSeparator, jar().toString(), jar().resolveSibling("libs").toString(), extra);
        List<String> command = new ArrayList<>(List.of(javaBinary().toString(), "-Xmx256m", "-p", modulePath,
                "--add-modules", "ALL-MODULE-PATH", "-m", "io.mcprelay.bootstrap/io.mcprelay.bootstrap.Main", "--port", "0"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("MCP_RELAY_MODULE_PATH", extra);
        return started(builder);
    }

    /** Starts {@code builder}'s command (any way of launching mcp-relay) and waits (bounded) until it serves. */
    static RelayProcess started(ProcessBuilder builder) throws Exception {
        RelayProcess relay = new RelayProcess(builder.redirectErrorStream(true).start());
        try {
            relay.port.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            relay.close();
            throw new IllegalStateException("mcp-relay did not become ready within 30 s; its output:\n" + String.join("\n", relay.output), e);
        }
        return relay;
    }

    /** Runs the jar with {@code args} to its end (for --help and bad flags); returns exit code and output. */
    static Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary().toString(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("mcp-relay " + args + " did not exit within 30 s");
        }
        return new Result(p.exitValue(), out);
    }

    record Result(int exitCode, String output) {
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        port.completeExceptionally(new IllegalStateException("process ended"));
    }

    int port() {
        return port.join();
    }

    URI mcp() {
        return URI.create("http://127.0.0.1:" + port() + "/mcp");
    }

    List<String> output() {
        return List.copyOf(output);
    }

    /** kill -9: no shutdown hook, no graceful close, exactly as a crashed instance. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Sends the process a Unix signal by name ({@code HUP}); {@code kill} must be on PATH. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " failed: " + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** The exit status once the process ends within {@code timeout}, else empty. */
    java.util.OptionalInt exitWithin(java.time.Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? java.util.OptionalInt.of(process.exitValue())
                : java.util.OptionalInt.empty();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("mcprelay.jar", "bootstrap/target/mcp-relay.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": process tests run after `package` (./mvnw verify)");
        }
        return jar;
    }

    private static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
