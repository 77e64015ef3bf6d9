package io.mcprelay.domain.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GlobTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "tools/*, tools/list, true",
            "tools/*, tools/call, true",
            "tools/*, tools/, true",
            "tools/*, resources/list, false",
            "*, anything at all, true",
            "*, '', true",
            "echo, echo, true",
            "echo, echo2, false",
            "echo, Echo, false",
            "*-env, get-env, true",
            "*-env, get-envy, false",
            "a*b*c, aXXbYYc, true",
            "a*b*c, aXXbYY, false",
            "a*b*c, abcbc, true",
            "**, x, true",
            "tools/?, tools/?, true",
            "tools/?, tools/x, false",
    })
    void matchesTheWholeTextWithStarForAnyRun(String pattern, String text, boolean matches) {
        assertThat(new Glob(pattern).matches(text)).isEqualTo(matches);
    }

    @Test
    void refusesEmptyAndOverlongPatterns() {
        assertThatThrownBy(() -> new Glob("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Glob("x".repeat(Glob.MAX_LENGTH + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Glob("x".repeat(Glob.MAX_LENGTH)).matches("x".repeat(Glob.MAX_LENGTH))).isTrue();
    }

    @Test
    void manyStarsOnALongMissDoNotBacktrackExponentially() {
        Glob glob = new Glob("*a*a*a*a*a*a*a*a*a*b");
        long started = System.nanoTime();
        assertThat(glob.matches("a".repeat(10_000))).isFalse();
        assertThat(System.nanoTime() - started).as("nanos").isLessThan(2_000_000_000L);
    }
}
