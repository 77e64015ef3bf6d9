package io.mcprelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns bench/run's raw samples ({@code samples.tsv}: phase, level, target, metric, value; one line
 * per measurement, several rounds of the same key) into the markdown tables of docs/benchmarks.md:
 * the median of the rounds with their min..max, and the relay's ratios to direct and to nginx,
 * computed from the medians.
 *
 * <p>{@code bench.Report samples.tsv} prints markdown.
 */
public final class Report {

    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Report report = new Report();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.split("\t");
            if (f.length == 5 && !f[4].isBlank()) {
                report.samples.computeIfAbsent(key(f[0], f[1], f[2], f[3]), k -> new ArrayList<>()).add(Double.parseDouble(f[4]));
            }
        }
        StringBuilder out = new StringBuilder();
        report.json(out);
        report.sse(out);
        report.scale(out);
        report.store(out);
        report.attack(out);
        System.out.print(out);
    }

    private static String key(String phase, String level, String target, String metric) {
        return phase + "|" + level + "|" + target + "|" + metric;
    }

    private double[] values(String phase, String level, String target, String metric) {
        List<Double> v = samples.get(key(phase, level, target, metric));
        return v == null ? new double[0] : v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private double median(String phase, String level, String target, String metric) {
        double[] v = values(phase, level, target, metric);
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** "median (min..max)" with {@code digits} decimals, or "–" when there is no sample. */
    private String cell(String phase, String level, String target, String metric, int digits) {
        double[] v = values(phase, level, target, metric);
        if (v.length == 0) {
            return "–";
        }
        String m = num(median(phase, level, target, metric), digits);
        return v.length == 1 ? m : m + " (" + num(v[0], digits) + "..." + num(v[v.length - 1], digits) + ")";
    }

    private static String num(double value, int digits) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,." + digits + "f", value);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", a / b);
    }

    /** The "under attack" rows: a normal client alone, during slowloris and during body preallocation. */
    private void attack(StringBuilder out) {
        List<String> levels = levels("attack");
        if (levels.isEmpty()) {
            return;
        }
        out.append("### Under attack: a normal client's round trips (a new connection each) during an attack\n\n")
                .append("| attack | attack connections | round trips | p50 ms | p99 ms | max ms | errors | relay RSS MiB |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String level : levels) {
            for (String mode : List.of("none", "slowloris", "prealloc")) {
                if (values("attack", level, mode, "requests").length == 0) {
                    continue;
                }
                out.append("| ").append(switch (mode) {
                    case "none" -> "none (baseline)";
                    case "slowloris" -> "slowloris (heads trickled)";
                    default -> "4 MiB declared, 1 byte sent";
                }).append(" | ").append(mode.equals("none") ? "0" : level).append(" | ")
                        .append(cell("attack", level, mode, "requests", 0)).append(" | ")
                        .append(cell("attack", level, mode, "p50_ms", 3)).append(" | ")
                        .append(cell("attack", level, mode, "p99_ms", 3)).append(" | ")
                        .append(cell("attack", level, mode, "max_ms", 3)).append(" | ")
                        .append(cell("attack", level, mode, "errors", 0)).append(" | ")
                        .append(cell("attack", level, mode, "rss_mib", 1)).append(" |\n");
            }
        }
        out.append('\n');
    }

    private List<String> levels(String phase) {
        return samples.keySet().stream().filter(k -> k.startsWith(phase + "|")).map(k -> k.split("\\|")[1]).distinct()
                .sorted((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b))).toList();
    }

    private void json(StringBuilder out) {
        out.append("### JSON path: POST tools/call in a session\n\n")
                .append("| conns | target | req/s | p50 ms | p90 ms | p99 ms | proxy CPU % | allocated KiB/req | req/s vs direct | req/s vs nginx | p99 added vs direct (ms) |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String level : levels("json")) {
            for (String target : List.of("direct", "nginx", "relay", "relay-modern", "relay-redis", "helidon-hop", "helidon-floor")) {
                if (values("json", level, target, "rps").length == 0) {
                    continue;
                }
                boolean proxied = !target.equals("direct");
                out.append("| ").append(level).append(" | ").append(target).append(" | ")
                        .append(cell("json", level, target, "rps", 0)).append(" | ")
                        .append(cell("json", level, target, "p50_ms", 3)).append(" | ")
                        .append(cell("json", level, target, "p90_ms", 3)).append(" | ")
                        .append(cell("json", level, target, "p99_ms", 3)).append(" | ")
                        .append(proxied ? cell("json", level, target, "cpu_pct", 0) : "–").append(" | ")
                        .append(target.startsWith("relay") ? cell("json", level, target, "alloc_kib_per_req", 1) : "–").append(" | ")
                        .append(proxied ? ratio(median("json", level, target, "rps"), median("json", level, "direct", "rps")) : "–").append(" | ")
                        .append(proxied && !target.equals("nginx") ? ratio(median("json", level, target, "rps"), median("json", level, "nginx", "rps")) : "–").append(" | ")
                        .append(proxied ? num(median("json", level, target, "p99_ms") - median("json", level, "direct", "p99_ms"), 3) : "–")
                        .append(" |\n");
            }
        }
        modernRatios(out);
        out.append("\nrelay-modern: the same relay and upstream, a 2026-07-28 request without a session (docs/eras.md); ")
                .append("helidon-floor: Helidon's server alone, answering a canned result; helidon-hop: Helidon's server ")
                .append("forwarding each body to the same upstream over one blocking hop and nothing else (bench.HelidonFloor). ")
                .append("Together they are the floor of the relay's server model.\n\n");
    }

    /** The modern-era JSON path against the session path of the same relay, measured in the same rounds. */
    private void modernRatios(StringBuilder out) {
        StringBuilder rows = new StringBuilder();
        for (String level : levels("json")) {
            double modern = median("json", level, "relay-modern", "rps");
            if (!Double.isNaN(modern)) {
                rows.append("| ").append(level).append(" | ").append(cell("json", level, "relay", "rps", 0)).append(" | ")
                        .append(cell("json", level, "relay-modern", "rps", 0)).append(" | ")
                        .append(ratio(modern, median("json", level, "relay", "rps"))).append(" | ")
                        .append(num(median("json", level, "relay-modern", "p99_ms") - median("json", level, "relay", "p99_ms"), 3))
                        .append(" |\n");
            }
        }
        if (!rows.isEmpty()) {
            out.append("\n| conns | session req/s | modern req/s | modern / session | p99 modern − session (ms) |\n|---:|---:|---:|---:|---:|\n")
                    .append(rows);
        }
    }

    private void sse(StringBuilder out) {
        out.append("### SSE path: per-event lag (upstream write → client read) and time to first event\n\n")
                .append("| streams | target | events received | lag p50 ms | lag p99 ms | lag max ms | steady lag p50 ms | steady lag p99 ms | first event p50 ms | first event p99 ms | steady p99 added vs direct (ms) | steady p99 added vs nginx (ms) |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String level : levels("sse")) {
            for (String target : List.of("direct", "nginx", "relay")) {
                if (values("sse", level, target, "lag_p99_ms").length == 0) {
                    continue;
                }
                out.append("| ").append(level).append(" | ").append(target).append(" | ")
                        .append(cell("sse", level, target, "received_pct", 1)).append("% | ")
                        .append(cell("sse", level, target, "lag_p50_ms", 3)).append(" | ")
                        .append(cell("sse", level, target, "lag_p99_ms", 3)).append(" | ")
                        .append(cell("sse", level, target, "lag_max_ms", 3)).append(" | ")
                        .append(cell("sse", level, target, "steady_p50_ms", 3)).append(" | ")
                        .append(cell("sse", level, target, "steady_p99_ms", 3)).append(" | ")
                        .append(cell("sse", level, target, "ttfe_p50_ms", 3)).append(" | ")
                        .append(cell("sse", level, target, "ttfe_p99_ms", 3)).append(" | ")
                        .append(target.equals("direct") ? "–" : num(median("sse", level, target, "steady_p99_ms") - median("sse", level, "direct", "steady_p99_ms"), 3)).append(" | ")
                        .append(target.equals("relay") ? num(median("sse", level, target, "steady_p99_ms") - median("sse", level, "nginx", "steady_p99_ms"), 3) : "–")
                        .append(" |\n");
            }
        }
        out.append('\n');
    }

    private void scale(StringBuilder out) {
        out.append("### Scale: open SSE streams held by one proxy\n\n")
                .append("| streams | target | opened | still open after hold | delivering during hold | RSS before MiB | RSS open MiB | RSS per stream KiB | live heap per stream KiB | memory per stream KiB | fds open | open time s |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String level : levels("scale")) {
            for (String target : List.of("nginx", "relay")) {
                if (values("scale", level, target, "opened").length == 0) {
                    continue;
                }
                out.append("| ").append(level).append(" | ").append(target).append(" | ")
                        .append(cell("scale", level, target, "opened", 0)).append(" | ")
                        .append(cell("scale", level, target, "still_open", 0)).append(" | ")
                        .append(cell("scale", level, target, "delivering", 0)).append(" | ")
                        .append(cell("scale", level, target, "rss_before_mib", 1)).append(" | ")
                        .append(cell("scale", level, target, "rss_open_mib", 1)).append(" | ")
                        .append(cell("scale", level, target, "rss_per_stream_kib", 1)).append(" | ")
                        .append(cell("scale", level, target, "heap_per_stream_kib", 1)).append(" | ")
                        .append(cell("scale", level, target, "memory_per_stream_kib", 1)).append(" | ")
                        .append(cell("scale", level, target, "fds", 0)).append(" | ")
                        .append(cell("scale", level, target, "open_s", 1)).append(" |\n");
            }
        }
        out.append('\n');
    }

    private void store(StringBuilder out) {
        out.append("### Store: in-memory vs Redis\n\n")
                .append("| measure | in-memory | Redis | Redis / in-memory |\n|---|---:|---:|---:|\n");
        for (String level : levels("json")) {
            double memory = median("json", level, "relay", "rps");
            double redis = median("json", level, "relay-redis", "rps");
            if (!Double.isNaN(redis)) {
                out.append("| JSON req/s, ").append(level).append(" conns | ").append(cell("json", level, "relay", "rps", 0)).append(" | ")
                        .append(cell("json", level, "relay-redis", "rps", 0)).append(" | ").append(ratio(redis, memory)).append(" |\n");
            }
        }
        for (String level : levels("replay")) {
            out.append("| replay of ").append(level).append(" events, ms (p50 of the repeats) | ")
                    .append(cell("replay", level, "relay", "replay_p50_ms", 2)).append(" | ")
                    .append(cell("replay", level, "relay-redis", "replay_p50_ms", 2)).append(" | ")
                    .append(ratio(median("replay", level, "relay-redis", "replay_p50_ms"), median("replay", level, "relay", "replay_p50_ms"))).append(" |\n");
        }
        for (String level : levels("startup")) {
            out.append("| start-up to ready, ms | ").append(cell("startup", level, "relay", "ready_ms", 0)).append(" | ")
                    .append(cell("startup", level, "relay-redis", "ready_ms", 0)).append(" | ")
                    .append(ratio(median("startup", level, "relay-redis", "ready_ms"), median("startup", level, "relay", "ready_ms"))).append(" |\n");
            out.append("| start-up to ready with the class-data archive bin/mcp-relay uses (AppCDS), ms | ")
                    .append(cell("startup", level, "relay-cds", "ready_ms", 0)).append(" | – | – |\n");
        }
        out.append('\n');
    }
}
