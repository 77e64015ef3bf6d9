package io.mcprelay.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdicts of one run of the conformance suite, by scenario and check.
 *
 * <p>A scenario's {@code checks.json} is a list of entries {@code {id, status, errorMessage?, details?}}; the
 * same id can occur more than once. Entries with status {@code INFO} or {@code SKIPPED} are a log of what
 * was sent and received, not verdicts, and are left out. A check's verdict is the worst of its entries
 * ({@code FAILURE} &lt; {@code WARNING} &lt; {@code SUCCESS}); a check a run did not report at all is
 * {@link Verdict#MISSING}, worse than a failure (the scenario stopped before it, or never ran).
 *
 * @param scenarios every scenario the suite knows, in its order
 * @param checks    scenario name → check id → result, for the scenarios that wrote results
 * @param took      how long the run took
 */
public record ConformanceRun(List<String> scenarios, Map<String, Map<String, Check>> checks, Duration took) {

    /** A check's verdict, worst first (so a higher ordinal is better). */
    public enum Verdict { MISSING, FAILURE, WARNING, SUCCESS }

    /** One check's verdict and, when it is not a success, what the suite said (its message and details). */
    public record Check(Verdict verdict, String message) {
    }

    /** One check of one scenario, as the lists in {@code src/test/resources/conformance} name it. */
    public record Key(String scenario, String check) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int byScenario = scenario.compareTo(other.scenario);
            return byScenario != 0 ? byScenario : check.compareTo(other.check);
        }

        @Override
        public String toString() {
            return scenario + " " + check;
        }
    }

    public ConformanceRun {
        scenarios = List.copyOf(scenarios);
        checks = Collections.unmodifiableMap(new TreeMap<>(checks));
    }

    static ConformanceRun of(List<String> scenarios, Map<String, List<JsonNode>> entriesByScenario, Duration took) {
        Map<String, Map<String, Check>> checks = new TreeMap<>();
        entriesByScenario.forEach((scenario, entries) -> {
            Map<String, Check> verdicts = new TreeMap<>();
            for (JsonNode entry : entries) {
                Verdict verdict = switch (entry.path("status").asText()) {
                    case "SUCCESS" -> Verdict.SUCCESS;
                    case "WARNING" -> Verdict.WARNING;
                    case "FAILURE" -> Verdict.FAILURE;
                    default -> null; // INFO, SKIPPED: a log line, not a verdict
                };
                if (verdict != null) {
                    Check check = new Check(verdict, verdict == Verdict.SUCCESS ? "" : describe(entry));
                    verdicts.merge(entry.path("id").asText(), check, (a, b) -> a.verdict().compareTo(b.verdict()) <= 0 ? a : b);
                }
            }
            checks.put(scenario, verdicts);
        });
        return new ConformanceRun(scenarios, checks, took);
    }

    /** The verdict of one check ({@link Verdict#MISSING} if the run did not report it). */
    public Verdict verdict(Key key) {
        Check check = checks.getOrDefault(key.scenario(), Map.of()).get(key.check());
        return check == null ? Verdict.MISSING : check.verdict();
    }

    /**
     * What the suite said about one check: empty for a success; for a check not reported, what its scenario
     * reported instead that did not succeed (typically why it stopped early).
     */
    public String message(Key key) {
        Map<String, Check> scenario = checks.getOrDefault(key.scenario(), Map.of());
        Check check = scenario.get(key.check());
        if (check != null) {
            return check.message();
        }
        StringBuilder instead = new StringBuilder("not reported");
        scenario.forEach((id, other) -> {
            if (other.verdict() != Verdict.SUCCESS) {
                instead.append("; the scenario reported ").append(id).append(' ').append(other.verdict()).append(": ").append(other.message());
            }
        });
        return instead.toString();
    }

    /** Every reported check with its verdict, in order. */
    public Map<Key, Verdict> verdicts() {
        Map<Key, Verdict> all = new TreeMap<>();
        checks.forEach((scenario, byId) -> byId.forEach((id, check) -> all.put(new Key(scenario, id), check.verdict())));
        return all;
    }

    /** Whether the scenario wrote results and none of its checks failed (the suite's own ✓ in its summary). */
    public boolean passed(String scenario) {
        Map<String, Check> byId = checks.get(scenario);
        return byId != null && byId.values().stream().noneMatch(c -> c.verdict() == Verdict.FAILURE);
    }

    /** How many of the suite's scenarios passed. */
    public long scenariosPassed() {
        return scenarios.stream().filter(this::passed).count();
    }

    /** A line for the log: scenarios and checks passed, and the time taken. */
    public String summary() {
        Map<Key, Verdict> all = verdicts();
        long success = all.values().stream().filter(v -> v == Verdict.SUCCESS).count();
        long warning = all.values().stream().filter(v -> v == Verdict.WARNING).count();
        return scenariosPassed() + "/" + scenarios.size() + " scenarios passed; checks: " + success + " passed, " + warning
                + " warned, " + (all.size() - success - warning) + " failed; took " + took.toMillis() + " ms";
    }

    private static String describe(JsonNode entry) {
        String message = entry.path("errorMessage").asText("");
        JsonNode details = entry.path("details");
        String text = details.isMissingNode() || details.isNull() ? message : message + " " + details;
        return text.length() > 600 ? text.substring(0, 600) + "…" : text;
    }

    /**
     * What passes in {@code this} (the direct run) but not in {@code relayed}: each check that succeeds or warns
     * here and does worse there, and each scenario that passes here and fails there. Empty when the relay is no
     * worse.
     */
    public List<String> worseIn(ConformanceRun relayed) {
        List<String> worse = new java.util.ArrayList<>();
        verdicts().forEach((key, verdictDirect) -> {
            Verdict verdictRelayed = relayed.verdict(key);
            if (verdictDirect != Verdict.FAILURE && verdictRelayed.compareTo(verdictDirect) < 0) {
                worse.add(key + ": direct " + verdictDirect + ", through the relay " + verdictRelayed + ": " + relayed.message(key));
            }
        });
        for (String scenario : scenarios) {
            if (passed(scenario) && !relayed.passed(scenario)) {
                worse.add(scenario + ": passes direct, fails through the relay");
            }
        }
        return worse;
    }
}
