package io.mcprelay.domain.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class UpstreamSelectionTest {

    private static final UpstreamTarget A = new UpstreamTarget("a", URI.create("http://a/mcp"));
    private static final UpstreamTarget B = new UpstreamTarget("b", URI.create("http://b/mcp"));
    private static final UpstreamTarget C = new UpstreamTarget("c", URI.create("http://c/mcp"));

    @Test
    void picksNothingFromNoCandidates() {
        assertThat(UpstreamSelection.roundRobin(List.of(), 0)).isEmpty();
    }

    @Test
    void takesTurnsInOrder() {
        List<UpstreamTarget> picked = LongStream.range(0, 7)
                .mapToObj(turn -> UpstreamSelection.roundRobin(List.of(A, B, C), turn).orElseThrow())
                .toList();

        assertThat(picked).containsExactly(A, B, C, A, B, C, A);
    }

    @Test
    void singleCandidateIsAlwaysPicked() {
        assertThat(UpstreamSelection.roundRobin(List.of(A), 41)).contains(A);
    }

    @Test
    void survivesTurnCounterOverflow() {
        assertThat(UpstreamSelection.roundRobin(List.of(A, B, C), Long.MAX_VALUE)).isPresent();
        assertThat(UpstreamSelection.roundRobin(List.of(A, B, C), Long.MIN_VALUE)).isPresent();
        assertThat(UpstreamSelection.roundRobin(List.of(A, B, C), -1)).contains(C);
    }
}
