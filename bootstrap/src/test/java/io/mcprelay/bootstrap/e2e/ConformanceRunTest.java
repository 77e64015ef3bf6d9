package io.mcprelay.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.bootstrap.e2e.ConformanceRun.Key;
import io.mcprelay.bootstrap.e2e.ConformanceRun.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the suite's result directories ({@code server-<scenario>-<time>/checks.json}) are read into verdicts (the
 * rules ConformanceIT relies on).
 */
class ConformanceRunTest {

    @TempDir
    Path out;

    @Test
    void theWorstEntryOfACheckIsItsVerdictAndInfoEntriesAreNoVerdicts() throws IOException {
        write("server-server-sse-polling-2026-12-07T04-01-36-352Z", """
                [{"id":"outgoing-request","status":"INFO"},
                 {"id":"incoming-sse-event","status":"INFO"},
                 {"id":"incoming-sse-event","status":"FAILURE","errorMessage":"Tool call failed","details":{"id":1}},
                 {"id":"server-sse-priming-event","status":"WARNING","errorMessage":"no priming event"},
                 {"id":"skipped-one","status":"SKIPPED"}]""");
        write("server-ping-2026-12-07T04-01-28-206Z", """
                [{"id":"ping","status":"SUCCESS"},{"id":"ping","status":"SUCCESS"}]""");

        ConformanceRun run = ConformanceSuite.read(List.of("ping", "server-sse-polling", "never-ran"), out, Duration.ofSeconds(1));

        assertThat(run.verdict(new Key("server-sse-polling", "incoming-sse-event"))).isEqualTo(Verdict.FAILURE);
        assertThat(run.message(new Key("server-sse-polling", "incoming-sse-event"))).isEqualTo("Tool call failed {\"id\":1}");
        assertThat(run.verdict(new Key("server-sse-polling", "server-sse-priming-event"))).isEqualTo(Verdict.WARNING);
        assertThat(run.verdict(new Key("server-sse-polling", "outgoing-request"))).isEqualTo(Verdict.MISSING);
        assertThat(run.verdict(new Key("ping", "ping"))).isEqualTo(Verdict.SUCCESS);
        assertThat(run.verdicts()).hasSize(3);
        assertThat(run.passed("ping")).isTrue();
        assertThat(run.passed("server-sse-polling")).isFalse();
        assertThat(run.passed("never-ran")).isFalse();
        assertThat(run.scenariosPassed()).isEqualTo(1);
        assertThat(run.summary()).startsWith("1/3 scenarios passed; checks: 1 passed, 1 warned, 1 failed");
    }

    @Test
    void aMissingCheckSaysWhatItsScenarioReportedInstead() throws IOException {
        write("server-server-sse-multiple-streams-2026-12-07T04-01-28-624Z", """
                [{"id":"server-accepts-multiple-post-streams","status":"FAILURE","errorMessage":"Statuses: 400, 400, 400"},
                 {"id":"server-sse-streams-functional","status":"INFO"}]""");
        write("not-a-result-dir", "[]");

        ConformanceRun run = ConformanceSuite.read(List.of("server-sse-multiple-streams"), out, Duration.ZERO);

        Key functional = new Key("server-sse-multiple-streams", "server-sse-streams-functional");
        assertThat(run.verdict(functional)).isEqualTo(Verdict.MISSING);
        assertThat(run.message(functional)).isEqualTo("not reported; the scenario reported server-accepts-multiple-post-streams"
                + " FAILURE: Statuses: 400, 400, 400");
        assertThat(run.checks()).containsOnlyKeys("server-sse-multiple-streams");
        assertThat(Verdict.MISSING).isLessThan(Verdict.FAILURE);
        assertThat(Verdict.WARNING).isLessThan(Verdict.SUCCESS);
    }

    private void write(String dir, String checksJson) throws IOException {
        Files.createDirectories(out.resolve(dir));
        Files.writeString(out.resolve(dir).resolve("checks.json"), checksJson);
    }
}
