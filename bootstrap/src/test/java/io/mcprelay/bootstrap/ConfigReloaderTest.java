package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.in.ReplaceRulesUseCase;
import io.mcprelay.application.service.UpstreamCatalog;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.RuleSet;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading the configuration file: what is applied, what waits for a restart, what is refused, and when it happens. */
class ConfigReloaderTest {

    private static final String V1 = """
            upstreams:
              - {name: a, url: http://a.test/mcp}
              - {name: b, url: http://b.test/mcp}
            listen: {port: 8080}
            interceptors:
              rules:
                - {name: r1, action: block}
            """;
    private static final String V2 = """
            upstreams:
              - {name: a, url: http://a.test/mcp, weight: 4}
              - {name: c, url: http://c.test/mcp}
            upstreamPolicy: {balance: least-in-flight}
            listen: {port: 8080}
            interceptors:
              rules:
                - {name: r1, action: block}
                - {name: r2, match: {tool: "delete_*"}, action: block}
            """;

    @TempDir
    Path dir;

    private final List<RuleSet> replacedRules = new CopyOnWriteArrayList<>();
    private final ReplaceRulesUseCase rules = replacedRules::add;
    private final AtomicInteger probes = new AtomicInteger();
    private ConfigReloader reloader;
    private UpstreamCatalog catalog;

    private ConfigReloader start(Path file) throws Exception {
        CommandLine.Arguments arguments = CommandLine.parse("--config", file.toString());
        ConfigReloader.Source source = () -> Configuration.resolve(arguments, Map.of());
        Configuration running = source.load();
        catalog = new UpstreamCatalog(UpstreamSettings.upstreamSpecs(running.options()), running.options().upstreamPolicies().strategy(),
                running.options().upstreamPolicies().breaker(), running.options().upstreamPolicies().health(), java.time.Instant::now);
        reloader = new ConfigReloader(file, source, running, catalog, rules, probes::incrementAndGet);
        return reloader;
    }

    @AfterEach
    void stop() {
        if (reloader != null) {
            reloader.close();
        }
    }

    private Path write(String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void changedUpstreamCredentialsAreHandedOnAndOnesThatCannotBeReadRejectTheReload() throws Exception {
        Path file = write("auth.yaml", V1);
        ConfigReloader reloader = start(file);
        List<Map<String, UpstreamAuth>> applied = new CopyOnWriteArrayList<>();
        reloader.onUpstreamCredentials(next -> {
            applied.add(next.upstreamAuth());
            UpstreamAuth.build(next.upstreamAuth(), name -> null);
        });

        write("auth.yaml", V1.replace("{name: b, url: http://b.test/mcp}",
                "{name: b, url: http://b.test/mcp, auth: {headers: {X-Key: {value: k1}}}}"));
        assertThat(reloader.reload("test")).isInstanceOf(ConfigReloader.Outcome.Applied.class);
        assertThat(applied).singleElement().satisfies(a -> assertThat(a).containsKey("b"));

        write("auth.yaml", V1.replace("{name: b, url: http://b.test/mcp}",
                "{name: b, url: http://b.test/mcp, auth: {headers: {X-Key: {env: NOT_SET_ANYWHERE}}}}"));
        assertThat(reloader.reload("test")).isInstanceOfSatisfying(ConfigReloader.Outcome.Rejected.class,
                r -> assertThat(String.join(" ", r.problems())).contains("NOT_SET_ANYWHERE is not set"));
        assertThat(catalog.all()).hasSize(2);
    }

    @Test
    void aReloadAppliesTheUpstreamListTheStrategyAndTheRules() throws Exception {
        Path file = write("mcp-relay.yaml", V1);
        start(file);
        Files.writeString(file, V2);

        ConfigReloader.Outcome outcome = reloader.reload("test");

        assertThat(outcome).isInstanceOfSatisfying(ConfigReloader.Outcome.Applied.class, applied -> {
            assertThat(applied.needRestart()).isEmpty();
            assertThat(applied.summary()).contains("+c").contains("-b (retired: keeps its sessions)").contains("~a")
                    .contains("balance weighted -> least-in-flight").contains("interception rules: 1 -> 2");
        });
        assertThat(catalog.all()).extracting(UpstreamTarget::name).containsExactly("a", "c");
        assertThat(catalog.retired()).containsExactly("b");
        assertThat(catalog.byName("b")).isPresent();
        assertThat(catalog.strategy()).isEqualTo(SelectionStrategy.LEAST_IN_FLIGHT);
        assertThat(catalog.status().getFirst().weight()).isEqualTo(4);
        assertThat(replacedRules).singleElement().satisfies(set -> assertThat(set.rules()).extracting(InterceptRule::name).containsExactly("r1", "r2"));
        assertThat(probes.get()).as("the new upstream is probed at once").isEqualTo(1);
    }

    @Test
    void anOperatorsDrainSurvivesAReloadThatKeepsTheUpstream() throws Exception {
        Path file = write("mcp-relay.yaml", V1);
        start(file);
        assertThat(catalog.setDrained("a", true)).isTrue();
        Files.writeString(file, V2);

        assertThat(reloader.reload("test")).isInstanceOf(ConfigReloader.Outcome.Applied.class);

        assertThat(catalog.status()).filteredOn(s -> s.name().equals("a")).singleElement()
                .satisfies(a -> assertThat(a.drained()).as("same name and endpoint, new weight: still drained").isTrue());
        for (int i = 0; i < 4; i++) {
            assertThat(catalog.pickForNewSession()).map(UpstreamTarget::name).contains("c");
        }
        Files.writeString(file, V2.replace("http://a.test/mcp", "http://a2.test/mcp"));
        assertThat(reloader.reload("moved")).isInstanceOf(ConfigReloader.Outcome.Applied.class);
        assertThat(catalog.status()).filteredOn(s -> s.name().equals("a")).singleElement()
                .satisfies(a -> assertThat(a.drained()).as("a new endpoint is another server").isFalse());
    }

    @Test
    void anInvalidNewFileIsRejectedAndTheRunningConfigurationStays() throws Exception {
        Path file = write("mcp-relay.yaml", V1);
        start(file);
        Files.writeString(file, V2.replace("http://c.test/mcp", "ftp://c.test").replace("balance:", "balanse:"));

        ConfigReloader.Outcome outcome = reloader.reload("test");

        assertThat(outcome).isInstanceOfSatisfying(ConfigReloader.Outcome.Rejected.class, rejected -> assertThat(rejected.problems())
                .containsExactly("upstreamPolicy.balanse: unknown key (did you mean \"balance\"?)", "upstreams[1].url: not an http(s) URL: \"ftp://c.test\""));
        assertThat(catalog.all()).extracting(UpstreamTarget::name).containsExactly("a", "b");
        assertThat(replacedRules).isEmpty();

        Files.writeString(file, V2);
        assertThat(reloader.reload("fixed")).isInstanceOf(ConfigReloader.Outcome.Applied.class);
        assertThat(catalog.all()).extracting(UpstreamTarget::name).containsExactly("a", "c");
    }

    @Test
    void changedRateLimitsAreHandedOnAndWhereTheirBucketsLiveWaitsForARestart() throws Exception {
        Path file = write("limits.yaml", V1);
        start(file);
        List<io.mcprelay.domain.limit.RateLimits> applied = new CopyOnWriteArrayList<>();
        reloader.onRateLimits(applied::add);

        Files.writeString(file, V1 + "limits:\n  global: 5/1s\n  perTool: [search=2/1s]\n");
        ConfigReloader.Outcome on = reloader.reload("limits on");
        Files.writeString(file, V1 + "limits:\n  global: 5/1s\n  perTool: [search=2/1s]\n  redisUrl: redis://127.0.0.1:6390\n");
        ConfigReloader.Outcome store = reloader.reload("limits store");
        Files.writeString(file, V1);
        ConfigReloader.Outcome off = reloader.reload("limits off");

        assertThat(on).isInstanceOfSatisfying(ConfigReloader.Outcome.Applied.class, a -> {
            assertThat(a.needRestart()).isEmpty();
            assertThat(a.summary()).contains("rate limits: perTool, global");
        });
        assertThat(store).isInstanceOfSatisfying(ConfigReloader.Outcome.Applied.class,
                a -> assertThat(a.needRestart()).containsExactly("limits.redisUrl"));
        assertThat(off).isInstanceOf(ConfigReloader.Outcome.Applied.class);
        assertThat(applied).hasSize(2);
        assertThat(applied.get(0).isOff()).isFalse();
        assertThat(applied.get(1).isOff()).as("back to no limit").isTrue();
        assertThat(replacedRules).isEmpty();
        assertThat(catalog.all()).hasSize(2);
    }

    @Test
    void keysThatNeedARestartAreNamedAndKeepTheirRunningValueUntilThen() throws Exception {
        Path file = write("mcp-relay.yaml", V1);
        start(file);
        Files.writeString(file, V1.replace("port: 8080", "port: 8081") + "store: {keyPrefix: other}\n");

        ConfigReloader.Outcome first = reloader.reload("test");
        ConfigReloader.Outcome second = reloader.reload("again");

        assertThat(first).isInstanceOfSatisfying(ConfigReloader.Outcome.Applied.class, applied -> {
            assertThat(applied.needRestart()).containsExactly("listen.port", "store.keyPrefix");
            assertThat(applied.summary()).contains("nothing to apply").contains("needs a restart, running value kept: listen.port, store.keyPrefix");
        });
        assertThat(second).isInstanceOfSatisfying(ConfigReloader.Outcome.Applied.class,
                applied -> assertThat(applied.needRestart()).as("still not applied").containsExactly("listen.port", "store.keyPrefix"));
        assertThat(replacedRules).isEmpty();
    }

    @Test
    void aChangedFileIsNoticedWhetherRewrittenRenamedOverOrSwappedBehindASymlink() throws Exception {
        Path data1 = write("v1.yaml", V1);
        Path link = Files.createSymbolicLink(dir.resolve("mcp-relay.yaml"), data1.getFileName());
        start(link);

        reloader.reloadIfChanged();
        assertThat(replacedRules).as("same bytes: no reload").isEmpty();

        Path data2 = write("v2.yaml", V2);
        Path swapped = Files.createSymbolicLink(dir.resolve("next-link"), data2.getFileName());
        Files.move(swapped, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);    // a ConfigMap update
        reloader.reloadIfChanged();
        assertThat(replacedRules).hasSize(1);

        Path edited = write("v1-edited.yaml", V1);
        Files.move(edited, data2, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);    // an editor's save
        reloader.reloadIfChanged();
        assertThat(replacedRules).hasSize(2);
        assertThat(replacedRules.getLast().rules()).hasSize(1);

        Files.writeString(data2, V2);    // written in place
        reloader.reloadIfChanged();
        reloader.reloadIfChanged();
        assertThat(replacedRules).hasSize(3);
    }

    @Test
    void watchingPollsTheFileAndAReloadRequestRunsOnTheReloadThread() throws Exception {
        Path file = write("mcp-relay.yaml", V1);
        start(file).watch(Duration.ofMillis(100));

        Files.writeString(file, V2);
        awaitRules(1);
        assertThat(catalog.all()).extracting(UpstreamTarget::name).containsExactly("a", "c");

        Files.writeString(dir.resolve("other.yaml"), "ignored");
        Path replacement = write("next.yaml", V1);
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        awaitRules(2);
        reloader.requestReload("SIGHUP");
        Thread.sleep(300);
        assertThat(replacedRules).as("a reload with no change replaces nothing").hasSize(2);
    }

    @Test
    void reloadsRunOneAtATime() throws Exception {
        Path file = write("mcp-relay.yaml", V1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CommandLine.Arguments arguments = CommandLine.parse("--config", file.toString());
        ConfigReloader.Source slow = () -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
                return Configuration.resolve(arguments, Map.of());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                inside.decrementAndGet();
            }
        };
        start(file);
        ConfigReloader serial = new ConfigReloader(file, slow, slow.load(), catalog, rules, probes::incrementAndGet);
        most.set(0);
        CountDownLatch done = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            Thread.ofPlatform().start(() -> {
                serial.reload("thread");
                done.countDown();
            });
        }
        serial.requestReload("SIGHUP");

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        serial.close();
        assertThat(most.get()).isEqualTo(1);
    }

    private void awaitRules(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (replacedRules.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(replacedRules).hasSize(count);
    }
}
