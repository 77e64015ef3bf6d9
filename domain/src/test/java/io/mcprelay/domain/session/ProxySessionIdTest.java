package io.mcprelay.domain.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxySessionIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "!", "~", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "AbC_-.~!#$%&'()*+,/:;<=>?@[]^`{|}\\\""})
    void acceptsVisibleAscii(String candidate) {
        assertThat(ProxySessionId.isWellFormed(candidate)).isTrue();
        assertThat(new ProxySessionId(candidate).value()).isEqualTo(candidate);
    }

    @Test
    void acceptsEveryCharacterFrom0x21To0x7E() {
        StringBuilder all = new StringBuilder();
        for (char c = 0x21; c <= 0x7E; c++) {
            all.append(c);
        }

        assertThat(ProxySessionId.isWellFormed(all.toString())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "tab\t", "new\nline", "del\u007f", "nul\u0000", "caf\u00e9", "\u0020x", "x\u0080"})
    void refusesAnythingButVisibleAscii(String candidate) {
        assertThat(ProxySessionId.isWellFormed(candidate)).isFalse();
        assertThatThrownBy(() -> new ProxySessionId(candidate)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNull() {
        assertThat(ProxySessionId.isWellFormed(null)).isFalse();
        assertThatThrownBy(() -> new ProxySessionId(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void acceptsUpToMaxLength() {
        assertThat(ProxySessionId.MAX_LENGTH).isEqualTo(128);
        assertThat(ProxySessionId.isWellFormed("x".repeat(128))).isTrue();
        assertThat(ProxySessionId.isWellFormed("x".repeat(129))).isFalse();
    }

    @Test
    void printsAsItsValue() {
        assertThat(new ProxySessionId("abc")).hasToString("abc");
    }
}
