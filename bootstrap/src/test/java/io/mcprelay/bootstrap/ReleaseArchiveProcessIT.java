package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as an operator installs it: {@code bin/package} builds it once from the packaged
 * jar, it is unpacked somewhere else, and its launcher runs with the environment cleared: no JDK on
 * {@code PATH}, no {@code JAVA_HOME}. It must answer {@code --version}, serve {@code /health}, relay
 * MCP calls to a real upstream, and start from its class-data archive; its {@code bin/probe} (the
 * health check of the Dockerfile and the systemd unit) must tell a ready relay from a closed port.
 */
class ReleaseArchiveProcessIT {

    private static final String JSON = "application/json, text/event-stream";
    private static final String VERSION = System.getProperty("mcprelay.version", "0.1.0-SNAPSHOT");

    @TempDir
    static Path work;
    private static Path archive;
    private static Path home;
    private static Path toolsWithoutJava;

    @BeforeAll
    static void packageAndUnpackElsewhere() throws Exception {
        Path root = Path.of(System.getProperty("mcprelay.projectRoot", "."));
        ProcessBuilder pack = new ProcessBuilder("bash", root.resolve("bin/package").toString(), "--skip-build",
                "--output", work.resolve("release").toString());
        pack.environment().put("JAVA_HOME", System.getProperty("java.home"));    // the JDK running the tests: it has jlink
        Result packaged = run(pack, 600);
        assertThat(packaged.exitCode()).as("bin/package output:\n%s", packaged.output()).isZero();
        List<String> lines = packaged.output().lines().toList();
        archive = Path.of(lines.getLast());

        Path installed = Files.createDirectories(work.resolve("installed elsewhere"));
        Result untar = run(new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", installed.toString()), 120);
        assertThat(untar.exitCode()).as(untar.output()).isZero();
        home = installed.resolve("mcp-relay-" + VERSION);

        // the launcher's only outside tool (optional): readlink, to follow a symlink to itself
        toolsWithoutJava = Files.createDirectories(work.resolve("tools"));
        Path readlink = Files.isExecutable(Path.of("/usr/bin/readlink")) ? Path.of("/usr/bin/readlink") : Path.of("/bin/readlink");
        Files.createSymbolicLink(toolsWithoutJava.resolve("readlink"), readlink);
    }

    @Test
    void theArchiveIsNamedForItsVersionAndHoldsTheRuntimeTheLauncherTheJarsAndTheClassDataArchive() {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x64" : System.getProperty("os.arch");
        assertThat(archive.getFileName().toString()).isEqualTo("mcp-relay-" + VERSION + "-linux-" + arch + ".tar.gz");
        assertThat(home.resolve("bin/mcp-relay")).isExecutable();
        assertThat(home.resolve("bin/probe")).isExecutable();
        assertThat(home.resolve("runtime/bin/java")).isExecutable();
        assertThat(home.resolve("lib/mcp-relay.jar")).isRegularFile();
        assertThat(home.resolve("lib/libs")).isDirectoryContaining(path -> path.getFileName().toString().startsWith("helidon-webserver"));
        assertThat(home.resolve("lib/mcp-relay.jsa")).isRegularFile();
        assertThat(home.resolve("conf/mcp-relay.example.yaml")).isRegularFile();
    }

    @Test
    void theRuntimeHoldsTheJdkModulesTheRelayUsesAndNoMore() throws Exception {
        String release = Files.readString(home.resolve("runtime/release"));
        List<String> modules = release.lines().filter(line -> line.startsWith("MODULES="))
                .flatMap(line -> Arrays.stream(line.substring("MODULES=".length()).replace("\"", "").split(" "))).toList();

        // java.sql (with java.xml, java.transaction.xa) and jdk.crypto.ec: Nimbus JOSE+JWT, the bearer-token
        // check (docs/auth.md), requires them in its module descriptor; java.net.http: the OTLP trace exporter
        // (docs/tracing.md) posts spans with the JDK's HttpClient
        assertThat(modules).contains("java.base", "java.logging", "jdk.unsupported", "jdk.management", "jdk.naming.dns", "java.net.http")
                .doesNotContain("java.desktop", "jdk.compiler", "jdk.jshell")
                .hasSizeLessThan(16);
        assertThat(home.resolve("runtime/bin/javac")).doesNotExist();
    }

    @Test
    void versionAnswersWithNoJdkOnThePathNorInJavaHome() throws Exception {
        Result noJava = run(withoutJdk(new ProcessBuilder("/bin/sh", "-c", "command -v java || echo JAVA_HOME=${JAVA_HOME:-unset}")), 30);
        Result version = run(withoutJdk(new ProcessBuilder(home.resolve("bin/mcp-relay").toString(), "--version")), 60);

        assertThat(noJava.output().strip()).as("the environment the archive runs in has no java").isEqualTo("JAVA_HOME=unset");
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output().strip()).isEqualTo("mcp-relay " + VERSION);
    }

    @Test
    void aSymlinkToTheLauncherRunsTheArchive() throws Exception {
        Path link = Files.createSymbolicLink(work.resolve("mcp-relay-link"), home.resolve("bin/mcp-relay"));

        Result version = run(withoutJdk(new ProcessBuilder(link.toString(), "--version")), 60);

        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output().strip()).isEqualTo("mcp-relay " + VERSION);
    }

    @Test
    void startsFromItsClassDataArchiveWhereverItIsUnpacked() throws Exception {
        // -Xshare:on makes an archive that cannot be used an error instead of a silent fallback
        ProcessBuilder launcher = withoutJdk(new ProcessBuilder(home.resolve("bin/mcp-relay").toString(), "--version"));
        launcher.environment().put("MCP_RELAY_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info");

        Result traced = run(launcher, 60);

        assertThat(traced.exitCode()).as(traced.output()).isZero();
        assertThat(traced.output()).contains("io.mcprelay.bootstrap.Main source: shared objects file (top)");
    }

    @Test
    void servesHealthAndRelaysAnMcpCallToARealUpstreamOnItsOwnRuntime() throws Exception {
        try (StubUpstream upstream = MiniMcpUpstream.start();
             RelayProcess relay = RelayProcess.started(withoutJdk(new ProcessBuilder(home.resolve("bin/mcp-relay").toString(),
                     "--port", "0", "--upstream", upstream.endpoint().toString())))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> init = http.send(post(relay, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                    + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"archive\",\"version\":\"1\"}}}"),
                    HttpResponse.BodyHandlers.ofString());
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            HttpResponse<String> call = http.send(post(relay, session,
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{}}}"),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"version\":\"" + VERSION + "\"");
            assertThat(call.statusCode()).isEqualTo(200);
            assertThat(call.body()).contains("\"id\":2").contains("\"result\":{\"echo\":\"tools/call\"}");
            assertThat(upstream.mcpRequests()).extracting(StubUpstream.Recorded::body).anyMatch(body -> body.contains("\"tools/call\""));
            Result ready = run(withoutJdk(new ProcessBuilder(home.resolve("bin/probe").toString(), "--wait", "30",
                    "http://127.0.0.1:" + relay.port() + "/health/ready")), 60);
            Result closed = run(withoutJdk(new ProcessBuilder(home.resolve("bin/probe").toString(), "http://127.0.0.1:1/health/live")), 60);
            assertThat(ready.exitCode()).as("bin/probe on the ready relay: %s", ready.output()).isZero();
            assertThat(closed.exitCode()).as("bin/probe on a closed port").isEqualTo(1);
            assertThat(Path.of("/proc/" + relay.pid() + "/exe").toRealPath())
                    .as("the relay runs on the archive's runtime").isEqualTo(home.resolve("runtime/bin/java").toRealPath());
        }
    }

    @Test
    void theImagesEnvironmentEntrypointAndHealthCheckRunTheArchiveOnAllAddresses() throws Exception {
        // what `docker run IMAGE --upstream URL` runs, without Docker (none here): the Dockerfile's ENV and
        // ENTRYPOINT with /opt/mcp-relay being this unpacked archive, then its HEALTHCHECK command
        List<DeploymentFiles.Instruction> image = DeploymentFiles.finalStage(DeploymentFiles.dockerfile(DeploymentFiles.root().resolve("Dockerfile")));
        String entrypoint = inArchive(only(image, "ENTRYPOINT").words().getFirst());
        String healthCheck = only(image, "HEALTHCHECK").arguments();
        List<String> probe = new DeploymentFiles.Instruction("CMD", healthCheck.substring(healthCheck.indexOf("CMD ") + 4).strip()).words();
        try (StubUpstream upstream = MiniMcpUpstream.start()) {
            ProcessBuilder container = withoutJdk(new ProcessBuilder(entrypoint, "--port", "0", "--upstream", upstream.endpoint().toString()));
            image.stream().filter(i -> i.keyword().equals("ENV")).forEach(i -> container.environment().putAll(DeploymentFiles.assignments(i)));
            try (RelayProcess relay = RelayProcess.started(container)) {
                String url = probe.getLast().replace(":" + DeploymentFiles.ProbeUrl.of(probe.getLast()).port() + "/", ":" + relay.port() + "/");
                Result health = run(withoutJdk(new ProcessBuilder(inArchive(probe.getFirst()), url)), 60);

                assertThat(relay.output()).anyMatch(line -> line.startsWith("mcp-relay ready: http://0.0.0.0:" + relay.port() + "/mcp"));
                assertThat(health.exitCode()).as("the HEALTHCHECK command: %s", health.output()).isZero();
            }
        }
    }

    /** A path of the image under /opt/mcp-relay (where the Dockerfile unpacks the archive), in the unpacked archive. */
    private static String inArchive(String imagePath) {
        assertThat(imagePath).startsWith("/opt/mcp-relay/");
        return home.resolve(imagePath.substring("/opt/mcp-relay/".length())).toString();
    }

    private static DeploymentFiles.Instruction only(List<DeploymentFiles.Instruction> image, String keyword) {
        List<DeploymentFiles.Instruction> found = image.stream().filter(i -> i.keyword().equals(keyword)).toList();
        assertThat(found).as(keyword).hasSize(1);
        return found.getFirst();
    }

    /** {@code builder} with the environment cleared, as a machine without a JDK has it. */
    private static ProcessBuilder withoutJdk(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", toolsWithoutJava.toString());
        env.put("HOME", work.toString());
        return builder;
    }

    private static HttpRequest post(RelayProcess relay, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(relay.mcp()).header("Accept", JSON).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return request.build();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(ProcessBuilder builder, int timeoutSeconds) throws Exception {
        Process process = builder.redirectErrorStream(true).start();
        process.getOutputStream().close();
        List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> process.inputReader(StandardCharsets.UTF_8).lines().forEach(output::add));
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(builder.command() + " did not end within " + timeoutSeconds + " s; output:\n" + String.join("\n", output));
        }
        reader.join(10_000);
        return new Result(process.exitValue(), String.join("\n", output));
    }
}
