package io.mcprelay.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcprelay.application.port.in.ReplaceRulesUseCase;
import io.mcprelay.application.service.UpstreamCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads the configuration file while the relay runs: when its content changes (polled every two
 * seconds by a hash of its bytes, which sees in-place writes, editors that write a new file and rename
 * it, and Kubernetes ConfigMap symlink swaps alike) or on SIGHUP.
 *
 * <p>A reload resolves the whole configuration again (file, environment, command line, in the same
 * precedence as at start-up) and applies what can change at run time: the upstream list with weights
 * and enabled flags, the balancing strategy, the interception rules and the rate limits. Open sessions and streams
 * are untouched (removed upstreams are retired, see {@link UpstreamCatalog#replace}). Every other
 * changed key needs a restart: it is named in the log and the running value stays. An invalid file
 * is rejected with every problem logged, and the running configuration stays. Reloads are serialised:
 * one thread runs them, and {@link #reload} is synchronized for direct callers.
 */
final class ConfigReloader implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConfigReloader.class.getName());

    /** Keys (and key prefixes) a reload applies; every other changed key waits for a restart. */
    static final List<String> RELOADABLE = List.of(ConfigKeys.UPSTREAMS, "upstreamPolicy.balance", ConfigKeys.INTERCEPTORS,
            "limits.perPrincipal", "limits.perTool", "limits.global", "limits.onStoreOutage");
    /** The rate limits' keys among {@link #RELOADABLE} (where their buckets live, {@code limits.redisUrl}, needs a restart). */
    private static final List<String> LIMITS = List.of("limits.perPrincipal", "limits.perTool", "limits.global", "limits.onStoreOutage");

    /** Resolves the configuration afresh. */
    @FunctionalInterface
    interface Source {
        Configuration load() throws ConfigException;
    }

    /** What one reload did. */
    sealed interface Outcome {
        /** Applied: {@code summary} is the one-line log; {@code needRestart} the changed keys that were not applied. */
        record Applied(String summary, List<String> needRestart) implements Outcome {
        }

        /** The new configuration is invalid; nothing changed. */
        record Rejected(List<String> problems) implements Outcome {
        }
    }

    private final Path file;
    private final Source source;
    private final UpstreamCatalog upstreams;
    private final ReplaceRulesUseCase rules;
    private final Runnable probeUpstreams;
    private final ScheduledExecutorService worker;
    private ObjectNode running;
    private byte[] lastSeen;
    private boolean unreadable;
    /** Told of every reload's outcome (the reload metrics). */
    private volatile java.util.function.Consumer<Outcome> listener = outcome -> { };
    private volatile java.util.function.Consumer<RelayOptions> upstreamCredentials = next -> { };
    private volatile java.util.function.Consumer<io.mcprelay.domain.limit.RateLimits> rateLimits = next -> { };

    /**
     * @param file           the configuration file to watch
     * @param source         resolves the configuration again (with the start-up environment and command line)
     * @param running        the configuration the relay started with
     * @param upstreams      where the upstream list and strategy are replaced
     * @param rules          where the interception rules are replaced
     * @param probeUpstreams probes every upstream once, run after upstreams were added
     */
    ConfigReloader(Path file, Source source, Configuration running, UpstreamCatalog upstreams, ReplaceRulesUseCase rules,
                   Runnable probeUpstreams) {
        this.file = Objects.requireNonNull(file, "file");
        this.source = Objects.requireNonNull(source, "source");
        this.running = ConfigPrinter.tree(running, false);
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.probeUpstreams = Objects.requireNonNull(probeUpstreams, "probeUpstreams");
        this.lastSeen = hash().orElse(new byte[0]);
        this.worker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("mcp-relay-config").daemon(true).factory());
    }

    /** Starts polling the file every {@code every}. */
    void watch(Duration every) {
        worker.scheduleWithFixedDelay(this::reloadIfChanged, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues a reload (as SIGHUP does), run on the reload thread. */
    void requestReload(String trigger) {
        worker.execute(() -> reload(trigger));
    }

    /** Reloads if the file's bytes differ from the last ones seen. */
    synchronized void reloadIfChanged() {
        Optional<byte[]> now = hash();
        if (now.isPresent() && !Arrays.equals(now.get(), lastSeen)) {
            reload("file changed");
        }
    }

    /**
     * {@code apply} gets the new options whenever the upstream list changed, before it is applied, to
     * replace the upstreams' credentials; an {@link IllegalArgumentException} (a secret that cannot
     * be read) rejects the reload.
     */
    void onUpstreamCredentials(java.util.function.Consumer<RelayOptions> apply) {
        this.upstreamCredentials = Objects.requireNonNull(apply, "apply");
    }

    /** {@code apply} gets the new rate limits whenever one of them changed (see {@link #LIMITS}). */
    void onRateLimits(java.util.function.Consumer<io.mcprelay.domain.limit.RateLimits> apply) {
        this.rateLimits = Objects.requireNonNull(apply, "apply");
    }

    /** {@code listener} is told of the outcome of every reload from now on. */
    void onReload(java.util.function.Consumer<Outcome> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Resolves the configuration and applies what can change at run time; see the class comment. */
    synchronized Outcome reload(String trigger) {
        Outcome outcome = reloadOnce(trigger);
        listener.accept(outcome);
        return outcome;
    }

    private Outcome reloadOnce(String trigger) {
        hash().ifPresent(bytes -> lastSeen = bytes);    // this content is handled: polling need not reload it again
        Configuration next;
        try {
            next = source.load();
        } catch (ConfigException e) {
            LOG.log(System.Logger.Level.WARNING, "configuration reload ({0}) rejected, the running configuration stays: {1}",
                    trigger, String.join("; ", e.problems()));
            return new Outcome.Rejected(e.problems());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "configuration reload ({0}) failed, the running configuration stays: {1}",
                    trigger, e.toString());
            return new Outcome.Rejected(List.of(e.toString()));
        }
        ObjectNode after = ConfigPrinter.tree(next, false);
        List<String> changed = new ArrayList<>();
        differences(running, after, "", changed);
        List<String> applied = new ArrayList<>();
        List<String> needRestart = changed.stream().filter(path -> RELOADABLE.stream().noneMatch(r -> covers(r, path))).toList();
        if (changed.stream().anyMatch(path -> covers(ConfigKeys.UPSTREAMS, path))) {
            try {
                upstreamCredentials.accept(next.options());    // secrets read first: one missing rejects the reload whole
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "configuration reload ({0}) rejected, the running configuration stays: {1}",
                        trigger, e.getMessage());
                return new Outcome.Rejected(List.of(e.getMessage()));
            }
        }
        if (changed.stream().anyMatch(path -> covers(ConfigKeys.UPSTREAMS, path) || covers("upstreamPolicy.balance", path))) {
            UpstreamCatalog.Change change = upstreams.replace(UpstreamSettings.upstreamSpecs(next.options()), next.options().upstreamPolicies().strategy());
            applied.add(describe(change, running, after));
            if (!change.added().isEmpty() || !change.moved().isEmpty()) {
                probeUpstreams.run();
            }
        }
        if (changed.stream().anyMatch(path -> covers(ConfigKeys.INTERCEPTORS, path))) {
            rules.replaceRules(next.options().rules());
            applied.add("interception rules: " + running.path(ConfigKeys.INTERCEPTORS).path("rules").size() + " -> "
                    + next.options().rules().rules().size());
        }
        if (changed.stream().anyMatch(path -> LIMITS.stream().anyMatch(key -> covers(key, path)))) {
            rateLimits.accept(next.options().fairness().limits().rates());
            applied.add("rate limits: " + LIMITS.stream().filter(key -> changed.stream().anyMatch(path -> covers(key, path)))
                    .map(key -> key.substring("limits.".length())).collect(java.util.stream.Collectors.joining(", ")));
        }
        for (String key : RELOADABLE) {
            String[] parts = key.split("\\.");
            ObjectNode target = running;
            JsonNode source = after;
            for (int i = 0; i < parts.length - 1; i++) {
                target = (ObjectNode) target.get(parts[i]);
                source = source.get(parts[i]);
            }
            JsonNode value = source == null ? null : source.get(parts[parts.length - 1]);
            if (value == null) {
                target.remove(parts[parts.length - 1]);
            } else {
                target.set(parts[parts.length - 1], value.deepCopy());
            }
        }
        String summary = "configuration reloaded (" + trigger + "): " + (applied.isEmpty() ? "nothing to apply" : String.join("; ", applied))
                + (needRestart.isEmpty() ? "" : "; needs a restart, running value kept: " + String.join(", ", needRestart));
        LOG.log(needRestart.isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING, summary);
        return new Outcome.Applied(summary, needRestart);
    }

    private static String describe(UpstreamCatalog.Change change, ObjectNode before, ObjectNode after) {
        List<String> parts = new ArrayList<>();
        change.added().forEach(n -> parts.add("+" + n));
        change.retired().forEach(n -> parts.add("-" + n + " (retired: keeps its sessions)"));
        change.updated().forEach(n -> parts.add("~" + n));
        change.moved().forEach(n -> parts.add("~" + n + " (new url)"));
        String strategyBefore = before.path("upstreamPolicy").path("balance").asText();
        String strategyAfter = after.path("upstreamPolicy").path("balance").asText();
        String strategy = strategyBefore.equals(strategyAfter) ? "" : "; balance " + strategyBefore + " -> " + strategyAfter;
        return "upstreams " + (parts.isEmpty() ? "unchanged" : String.join(" ", parts)) + strategy;
    }

    private static boolean covers(String key, String path) {
        return path.equals(key) || path.startsWith(key + ".") || path.startsWith(key + "[");
    }

    /** The paths of the leaves (and lists, as a whole) that differ between {@code a} and {@code b}. */
    private static void differences(JsonNode a, JsonNode b, String path, List<String> out) {
        if (a.isObject() && b.isObject()) {
            Iterator<String> names = b.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                differences(a.path(name), b.get(name), path.isEmpty() ? name : path + "." + name, out);
            }
        } else if (!a.equals(b)) {
            out.add(path);
        }
    }

    private Optional<byte[]> hash() {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(ConfigFile.MAX_BYTES + 1);
            unreadable = false;
            return Optional.of(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException e) {
            if (!unreadable) {
                LOG.log(System.Logger.Level.WARNING, "configuration file {0} cannot be read ({1}); the running configuration stays",
                        file, e.toString());
            }
            unreadable = true;
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
