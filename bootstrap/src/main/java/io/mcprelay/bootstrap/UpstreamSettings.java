package io.mcprelay.bootstrap;

import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamSpec;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * How the upstream options are written: an upstream ({@code [NAME=]URL} or a stdio command), the
 * values given per upstream name ({@code --weight}, {@code --upstream-era}), the balancing strategy,
 * and how the options become the catalog's upstream specs. Apart from {@link Settings} because these
 * values name upstreams, and check those names against the upstream list, which no other option does.
 */
final class UpstreamSettings {

    private UpstreamSettings() {
    }

    /**
     * The values of a per-upstream option ({@code NAME=VALUE}), by upstream name, the last one winning;
     * a value that is not valid is skipped ({@link Settings#check} reports it). A name that is not an
     * upstream's is added to {@code problems}, once {@code everyUpstreamRead} (else it may name one that
     * did not parse).
     */
    static <T> Map<String, T> perUpstream(List<Setting> settings, BiFunction<String, String, Map.Entry<String, T>> parse,
                                          boolean everyUpstreamRead, Set<String> names, List<String> problems) {
        Map<String, T> values = new LinkedHashMap<>();
        for (Setting setting : settings) {
            Map.Entry<String, T> value;
            try {
                value = parse.apply(setting.origin(), setting.value());
            } catch (IllegalArgumentException reported) {
                continue;
            }
            if (everyUpstreamRead && !names.contains(value.getKey())) {
                problems.add(setting.origin() + ": no upstream is named " + Settings.quoted(value.getKey()));
            }
            values.put(value.getKey(), value.getValue());
        }
        return values;
    }

    /** The upstreams of {@code options} as the catalog holds them: weight and enabled applied. */
    static List<UpstreamSpec> upstreamSpecs(RelayOptions options) {
        UpstreamOptions policies = options.upstreamPolicies();
        return options.upstreams().stream()
                .map(t -> UpstreamSpec.of(t).withWeight(policies.weights().getOrDefault(t.name(), UpstreamSpec.DEFAULT_WEIGHT))
                        .withEnabled(!policies.disabled().contains(t.name()))
                        .withEra(policies.eras().getOrDefault(t.name(), UpstreamEra.AUTO)))
                .toList();
    }

    /** {@code [NAME=]URL}; an unnamed upstream is called {@code defaultName}. */
    static UpstreamTarget upstream(String label, String spec, String defaultName) {
        int eq = spec.indexOf('=');
        boolean named = eq > 0 && !spec.substring(0, eq).contains(":");
        String name = named ? spec.substring(0, eq) : defaultName;
        String url = (named ? spec.substring(eq + 1) : spec).trim();
        if (url.startsWith(StdioCommandLine.PREFIX)) {
            try {
                StdioCommandLine line = StdioCommandLine.parse(url.substring(StdioCommandLine.PREFIX.length()));
                return new UpstreamTarget(name, new UpstreamTransport.Stdio(line.command(), line.args(), line.env(), line.cwd()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(label + ": " + e.getMessage());
            }
        }
        try {
            return new UpstreamTarget(name, new URI(url));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException(label + ": not an http(s) URL: " + Settings.quoted(Secrets.maskUri(url)));
        }
    }

    /** {@code NAME=N}: the weight of an upstream. */
    static Map.Entry<String, Integer> weight(String label, String value) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(label + ": expected NAME=N, not " + Settings.quoted(value));
        }
        return Map.entry(value.substring(0, eq), Settings.integer(label, value.substring(eq + 1), UpstreamSpec.MIN_WEIGHT, UpstreamSpec.MAX_WEIGHT));
    }

    /** {@code NAME=auto|legacy|modern|dual}: which protocol eras an upstream serves (docs/eras.md). */
    static Map.Entry<String, UpstreamEra> era(String label, String value) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(label + ": expected NAME=auto|legacy|modern|dual, not " + Settings.quoted(value));
        }
        return Map.entry(value.substring(0, eq), UpstreamEra.parse(value.substring(eq + 1)).orElseThrow(() ->
                new IllegalArgumentException(label + ": one of auto, legacy, modern, dual; not " + Settings.quoted(value.substring(eq + 1)))));
    }

    /** The balancing strategy: {@code weighted}, {@code round-robin}, {@code least-in-flight} or {@code random}. */
    static SelectionStrategy strategy(String label, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "weighted", "weighted-round-robin" -> SelectionStrategy.WEIGHTED_ROUND_ROBIN;
            case "round-robin" -> SelectionStrategy.ROUND_ROBIN;
            case "least-in-flight" -> SelectionStrategy.LEAST_IN_FLIGHT;
            case "random" -> SelectionStrategy.RANDOM_WEIGHTED;
            default -> throw new IllegalArgumentException(label + ": one of weighted, round-robin, least-in-flight, random; not " + Settings.quoted(value));
        };
    }

    /** The configuration name of {@code strategy}, as {@link #strategy} reads it. */
    static String strategyName(SelectionStrategy strategy) {
        return switch (strategy) {
            case WEIGHTED_ROUND_ROBIN -> "weighted";
            case ROUND_ROBIN -> "round-robin";
            case LEAST_IN_FLIGHT -> "least-in-flight";
            case RANDOM_WEIGHTED -> "random";
        };
    }
}
