package io.mcprelay.adapter.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StderrLogTest {

    private final AtomicLong clock = new AtomicLong();
    private final List<String> logged = new ArrayList<>();
    private final StderrLog log = new StderrLog("fs", "stdio-1", 3, clock::get, logged::add);

    @Test
    void logsTheFirstLinesOfEachSecondAndCountsTheRest() {
        for (int i = 0; i < 10; i++) {
            log.accept("line " + i);
        }
        clock.addAndGet(1_000_000_000L);
        log.accept("next second");

        assertThat(logged).containsExactly(
                "upstream fs session stdio-1 stderr: line 0",
                "upstream fs session stdio-1 stderr: line 1",
                "upstream fs session stdio-1 stderr: line 2",
                "upstream fs session stdio-1 stderr: (suppressed 7 lines)",
                "upstream fs session stdio-1 stderr: next second");
        assertThat(log.lastLine()).isEqualTo("next second");
    }

    @Test
    void pumpsAStreamToItsEndAndReportsWhatWasLeftOut() {
        String flood = "x\n".repeat(100) + "y".repeat(500) + "\nlast\n";
        log.pump(new ByteArrayInputStream(flood.getBytes(StandardCharsets.UTF_8)), 100);
        assertThat(logged).hasSize(4);
        assertThat(logged.get(3)).endsWith("(suppressed 99 lines)");
        assertThat(log.lastLine()).isEqualTo("last");
    }
}
