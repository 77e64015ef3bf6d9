package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcprelay.adapter.http.testing.StubUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example deployment files (deploy/systemd, deploy/kubernetes, the Dockerfile) ask the relay only
 * for what it has: their flags and environment settings resolve with the relay's own
 * {@link CommandLine} and {@link Configuration} (so a renamed flag fails here), their probes ask the
 * port the relay listens on and paths a running relay answers 200 on, and their stop timeouts leave
 * room for the drain.
 */
class DeploymentFilesProcessIT {

    /**
     * The drain timeout when {@code --drain-timeout} is not given (issue 19: "default e.g. 30 s"); the
     * stop timeouts of the files must exceed it.
     */
    private static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** The configuration file the install steps copy to /etc/mcp-relay/mcp-relay.yaml (conf/ in the archive). */
    private static final Path EXAMPLE_CONFIG = DeploymentFiles.root().resolve("docs/mcp-relay.example.yaml");

    @TempDir
    static Path work;
    private static StubUpstream upstream;
    private static RelayProcess relay;

    @BeforeAll
    static void startARelay() throws Exception {
        upstream = MiniMcpUpstream.start();
        relay = RelayProcess.start("--upstream", upstream.endpoint().toString());
    }

    @AfterAll
    static void stopIt() {
        relay.close();
        upstream.close();
    }

    @Test
    void theSystemdUnitRunsTheRelayWithItsFlagsWaitsForReadinessAndLeavesTimeToDrain() throws Exception {
        DeploymentFiles.Unit unit = DeploymentFiles.Unit.read(DeploymentFiles.root().resolve("deploy/systemd/mcp-relay.service"));
        List<String> start = unit.command("ExecStart");
        List<String> wait = unit.command("ExecStartPost");

        assertThat(start.getFirst()).isEqualTo("/opt/mcp-relay/bin/mcp-relay");
        List<String> args = withConfigAt(start.subList(1, start.size()), "/etc/mcp-relay/mcp-relay.yaml", EXAMPLE_CONFIG);
        RelayOptions options = resolve(args, unit.environment());
        assertThat(options.bind()).isEqualTo("127.0.0.1");

        assertThat(wait.subList(0, 2)).containsExactly("/opt/mcp-relay/bin/probe", "--wait");
        assertThat(Integer.parseInt(wait.get(2))).isLessThan(Integer.parseInt(unit.value("Service", "TimeoutStartSec")));
        DeploymentFiles.ProbeUrl ready = DeploymentFiles.ProbeUrl.of(wait.get(3));
        assertThat(ready.host()).isEqualTo(options.bind());
        assertThat(ready.port()).isEqualTo(options.port());
        assertServed(ready.path());

        assertThat(unit.value("Service", "KillSignal")).isEqualTo("SIGTERM");
        assertThat(Duration.ofSeconds(Long.parseLong(unit.value("Service", "TimeoutStopSec")))).isGreaterThan(drainTimeout(args));
        assertThat(unit.value("Service", "ExecReload")).contains("-HUP");
        assertThat(unit.value("Service", "RestartPreventExitStatus")).isEqualTo("2");    // invalid configuration
        assertThat(unit.value("Service", "User")).isNotIn("root", "0");
    }

    @Test
    void theKubernetesDeploymentRunsTheRelayWithItsFlagsAndProbesItsPortAndHealthPaths() throws Exception {
        List<JsonNode> manifests = DeploymentFiles.manifests(DeploymentFiles.root().resolve("deploy/kubernetes"));
        JsonNode pod = DeploymentFiles.manifest(manifests, "Deployment", "mcp-relay").path("spec").path("template");
        JsonNode container = pod.path("spec").path("containers").get(0);
        List<String> args = new ArrayList<>();
        container.path("args").forEach(arg -> args.add(arg.asText()));
        Map<String, String> env = containerEnvironment(container, manifests);
        // with service links on (the default), the kubelet adds the variables of every Service
        List<JsonNode> services = DeploymentFiles.ofKind(manifests, "Service");
        for (int i = 0; i < services.size(); i++) {
            env.putAll(DeploymentFiles.serviceLinks(services.get(i), "10.96.0." + (10 + i)));
        }

        RelayOptions options = resolve(withConfigFromConfigMap(args, pod, manifests), env);

        assertThat(EnvironmentNames.warning(env)).as("no MCP_RELAY_* variable of the pod is unknown to the relay").isEmpty();
        assertThat(options.bind()).isEqualTo("0.0.0.0");
        assertThat(options.store().kind()).isEqualTo(StoreOptions.Kind.REDIS);
        int http = containerPort(container, "http");
        assertThat(http).isEqualTo(options.port());
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("port").isInt() ? get.path("port").asInt() : containerPort(container, get.path("port").asText()))
                    .as(probe).isEqualTo(options.port());
            assertServed(get.path("path").asText());
        }
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .as("readiness must fail during a drain while liveness stays up")
                .isNotEqualTo(container.path("livenessProbe").path("httpGet").path("path").asText());

        long preStop = container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong();
        assertThat(Duration.ofSeconds(pod.path("spec").path("terminationGracePeriodSeconds").asLong()))
                .isGreaterThan(drainTimeout(args).plusSeconds(preStop));
        assertThat(pod.path("spec").path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("spec").path("securityContext").path("runAsUser").asInt()).isPositive();

        JsonNode service = DeploymentFiles.manifest(manifests, "Service", "mcp-relay").path("spec");
        assertSelects(service.path("selector"), pod);
        assertThat(containerPort(container, service.path("ports").get(0).path("targetPort").asText())).isEqualTo(options.port());

        URI redis = options.store().redisUrl().orElseThrow();
        JsonNode redisService = DeploymentFiles.manifest(manifests, "Service", redis.getHost()).path("spec");
        assertThat(redisService.path("ports").get(0).path("port").asInt()).isEqualTo(redis.getPort());
        JsonNode redisPod = DeploymentFiles.manifest(manifests, "Deployment", redis.getHost()).path("spec").path("template");
        assertSelects(redisService.path("selector"), redisPod);
        assertThat(containerPort(redisPod.path("spec").path("containers").get(0), redisService.path("ports").get(0).path("targetPort").asText()))
                .isEqualTo(6379);
    }

    @Test
    void theDockerfileRunsTheRelayAsNonRootOnAllAddressesWithAHealthCheckItAnswers() throws Exception {
        List<DeploymentFiles.Instruction> all = DeploymentFiles.dockerfile(DeploymentFiles.root().resolve("Dockerfile"));
        List<DeploymentFiles.Instruction> image = DeploymentFiles.finalStage(all);
        Map<String, String> buildArgs = new HashMap<>();
        all.stream().filter(i -> i.keyword().equals("ARG")).forEach(i -> buildArgs.putAll(DeploymentFiles.assignments(i)));
        Map<String, String> env = new HashMap<>();
        image.stream().filter(i -> i.keyword().equals("ENV")).forEach(i -> env.putAll(DeploymentFiles.assignments(i)));
        List<String> entrypoint = one(image, "ENTRYPOINT").words();
        List<String> cmd = one(image, "CMD").words();

        assertThat(DeploymentFiles.expand(one(image, "FROM").arguments(), buildArgs)).matches("debian:[a-z]+-slim");
        assertThat(one(image, "USER").arguments().split(":")[0]).isNotIn("root", "0");
        assertThat(entrypoint).containsExactly("/opt/mcp-relay/bin/mcp-relay");
        RelayOptions options = resolve(withConfigAt(cmd, "/etc/mcp-relay/mcp-relay.yaml", EXAMPLE_CONFIG), env);
        assertThat(options.bind()).as("reachable through a published port").isEqualTo("0.0.0.0");
        RelayOptions withFlagsOnly = resolve(List.of("--upstream", "http://mcp-server:3001/mcp"), env);
        assertThat(withFlagsOnly.bind()).as("flags given to docker run replace CMD, not the bind").isEqualTo("0.0.0.0");
        assertThat(Integer.parseInt(one(image, "EXPOSE").arguments())).isEqualTo(options.port());

        String healthCheck = one(image, "HEALTHCHECK").arguments();
        List<String> probe = new DeploymentFiles.Instruction("CMD", healthCheck.substring(healthCheck.indexOf("CMD ") + 4).strip()).words();
        assertThat(probe.getFirst()).isEqualTo("/opt/mcp-relay/bin/probe");
        DeploymentFiles.ProbeUrl url = DeploymentFiles.ProbeUrl.of(probe.getLast());
        assertThat(url.port()).isEqualTo(options.port());
        assertServed(url.path());
        assertThat(one(image, "STOPSIGNAL").arguments()).isEqualTo("SIGTERM");
    }

    /** {@code args} with the {@code --config} file at {@code installedAt} replaced by {@code local}. */
    private static List<String> withConfigAt(List<String> args, String installedAt, Path local) {
        int at = args.indexOf("--config");
        assertThat(at).as("--config in %s", args).isNotNegative();
        assertThat(args.get(at + 1)).isEqualTo(installedAt);
        List<String> replaced = new ArrayList<>(args);
        replaced.set(at + 1, local.toString());
        return replaced;
    }

    /** {@code args} with the {@code --config} path replaced by a copy of the ConfigMap key mounted there. */
    private static List<String> withConfigFromConfigMap(List<String> args, JsonNode pod, List<JsonNode> manifests) throws Exception {
        String path = args.get(args.indexOf("--config") + 1);
        Path mounted = Path.of(path);
        JsonNode container = pod.path("spec").path("containers").get(0);
        String volume = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mounted.getParent().equals(Path.of(mount.path("mountPath").asText()))) {
                volume = mount.path("name").asText();
            }
        }
        assertThat(volume).as("a volume mounted at %s", mounted.getParent()).isNotNull();
        String configMap = null;
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (v.path("name").asText().equals(volume)) {
                configMap = v.path("configMap").path("name").asText();
            }
        }
        JsonNode data = DeploymentFiles.manifest(manifests, "ConfigMap", configMap).path("data");
        Path local = Files.writeString(work.resolve(mounted.getFileName().toString()), data.path(mounted.getFileName().toString()).asText());
        return withConfigAt(args, path, local);
    }

    /** The container's variables: literal values, and values from Secrets of the manifests. */
    private static Map<String, String> containerEnvironment(JsonNode container, List<JsonNode> manifests) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode variable : container.path("env")) {
            JsonNode secret = variable.path("valueFrom").path("secretKeyRef");
            env.put(variable.path("name").asText(), secret.isMissingNode()
                    ? variable.path("value").asText()
                    : DeploymentFiles.manifest(manifests, "Secret", secret.path("name").asText()).path("stringData").path(secret.path("key").asText()).asText());
        }
        return env;
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name);
    }

    private static void assertSelects(JsonNode selector, JsonNode podTemplate) {
        selector.properties().forEach(label -> assertThat(podTemplate.path("metadata").path("labels").path(label.getKey()).asText())
                .as("pod label %s", label.getKey()).isEqualTo(label.getValue().asText()));
    }

    private static RelayOptions resolve(List<String> args, Map<String, String> env) throws Exception {
        return Configuration.resolve(CommandLine.parse(args.toArray(String[]::new)), env).options();
    }

    /** {@code --drain-timeout} if the files set it, else the relay's default. */
    private static Duration drainTimeout(List<String> args) {
        int at = args.indexOf("--drain-timeout");
        return at < 0 ? DEFAULT_DRAIN_TIMEOUT : Durations.parse(args.get(at + 1));
    }

    private static DeploymentFiles.Instruction one(List<DeploymentFiles.Instruction> image, String keyword) {
        List<DeploymentFiles.Instruction> found = image.stream().filter(i -> i.keyword().equals(keyword)).toList();
        assertThat(found).as("%s in the image's stage", keyword).hasSize(1);
        return found.getFirst();
    }

    /** The running relay answers 200 on {@code path}: the path a probe asks exists. */
    private static void assertServed(String path) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET %s on a running relay: %s", path, answer.body()).isEqualTo(200);
    }
}
