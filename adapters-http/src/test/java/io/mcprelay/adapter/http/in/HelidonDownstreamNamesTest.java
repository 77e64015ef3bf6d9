package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderName;
import org.junit.jupiter.api.Test;

/** The header names {@link HelidonDownstream} keeps between answers: each name once, and never more than its bound. */
class HelidonDownstreamNamesTest {

    @Test
    void aNameIsKeptOnceAndAnUpstreamThatInventsNamesGrowsNothingPastTheBound() {
        assertThat(HelidonDownstream.keptNames()).as("room left by the tests before").isLessThan(200);
        HeaderName first = HelidonDownstream.headerName("X-Upstream-Trace");
        HeaderName again = HelidonDownstream.headerName("X-Upstream-Trace");
        assertThat(again).isSameAs(first);
        assertThat(first.defaultCase()).isEqualTo("X-Upstream-Trace");
        assertThat(first.lowerCase()).isEqualTo("x-upstream-trace");

        for (int i = 0; i < 1_000; i++) {
            assertThat(HelidonDownstream.headerName("X-Invented-" + i).defaultCase()).isEqualTo("X-Invented-" + i);
        }
        assertThat(HelidonDownstream.keptNames()).isEqualTo(256);
        assertThat(HelidonDownstream.headerName("X-Upstream-Trace")).as("kept before the bound was reached").isSameAs(first);
    }
}
