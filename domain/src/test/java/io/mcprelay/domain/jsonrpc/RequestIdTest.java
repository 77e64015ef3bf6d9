package io.mcprelay.domain.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.jsonrpc.RequestId.NumericId;
import io.mcprelay.domain.jsonrpc.RequestId.StringId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "-7", "12345678901234567890", "1.5e3", "-0", "0.25", "1E+10", "2e-3", "123456789012345678901234567890.000"})
    void keepsNumericLiteralExactly(String literal) {
        assertThat(new NumericId(literal).toJson()).isEqualTo(literal);
        assertThat(new NumericId(literal).literal()).isEqualTo(literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", "01", "-01", "1.", ".5", "1e", "1e+", "0x10", " 1", "1 ", "NaN", "Infinity",
            "1.5.2", "\"1\"", "1_000", "--1", "1e5e5"})
    void refusesTextThatIsNoJsonNumber(String literal) {
        assertThatThrownBy(() -> new NumericId(literal)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0661", "\u0661\u0662", "\uff11", "1\u0662"})
    void refusesDigitsOutsideAscii(String literal) {
        assertThatThrownBy(() -> new NumericId(literal)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNullLiteralAndValue() {
        assertThatThrownBy(() -> new NumericId(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StringId(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void numericZeroAndStringZeroAreDifferentIds() {
        RequestId number = new NumericId("0");
        RequestId string = new StringId("0");

        assertThat(number).isNotEqualTo(string);
        assertThat(number.toJson()).isEqualTo("0");
        assertThat(string.toJson()).isEqualTo("\"0\"");
    }

    @Test
    void idsWithTheSameLiteralAreEqual() {
        assertThat(new NumericId("42")).isEqualTo(new NumericId("42")).hasSameHashCodeAs(new NumericId("42"));
        assertThat(new StringId("a")).isEqualTo(new StringId("a"));
    }

    @Test
    void numericIdsAreComparedByLiteralNotByValue() {
        assertThat(new NumericId("1500")).isNotEqualTo(new NumericId("1.5e3"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "abc            | \"abc\"",
            "''             | \"\"",
            "say \"hi\"     | \"say \\\"hi\\\"\"",
            "back\\slash    | \"back\\\\slash\"",
            "/path/         | \"/path/\"",
    })
    void writesStringIdAsJsonString(String value, String json) {
        assertThat(new StringId(value).toJson()).isEqualTo(json);
    }

    @Test
    void escapesControlCharactersInStringId() {
        assertThat(new StringId("a\nb\rc\td\be\ff").toJson()).isEqualTo("\"a\\nb\\rc\\td\\be\\ff\"");
        assertThat(new StringId("\u0000\u0001\u001f").toJson()).isEqualTo("\"\\u0000\\u0001\\u001f\"");
    }

    @Test
    void keepsUnicodeAndDeleteCharacterAsTheyAre() {
        assertThat(new StringId("h\u00e9llo \u4e16\u754c \ud83d\ude00 \u007f").toJson())
                .isEqualTo("\"h\u00e9llo \u4e16\u754c \ud83d\ude00 \u007f\"");
    }
}
