package io.mcprelay.domain.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {

    @Test
    void readsAndWritesEveryKindOfValueKeepingMemberOrder() {
        String text = "{\"z\":1,\"a\":[true,false,null,\"s\",-1.50,2e3],\"m\":{}, \"e\":[]}";
        JsonValue value = JsonText.parse(text);
        assertThat(value.toJson()).isEqualTo("{\"z\":1,\"a\":[true,false,null,\"s\",-1.50,2E+3],\"m\":{},\"e\":[]}");
        assertThat(JsonText.write(value, true)).isEqualTo("{\"a\":[true,false,null,\"s\",-1.5,2E+3],\"e\":[],\"m\":{},\"z\":1}");
        assertThat(value.toString()).isEqualTo(value.toJson());
    }

    @Test
    void canonicalFormIgnoresMemberOrderAndTrailingZeros() {
        assertThat(JsonText.write(JsonText.parse("{\"b\":42.0,\"a\":0.0}"), true))
                .isEqualTo(JsonText.write(JsonText.parse("{\"a\":0,\"b\":42}"), true));
    }

    @Test
    void escapesAndUnescapesStrings() {
        JsonValue value = JsonText.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u0001\"");
        assertThat(value).isEqualTo(new JsonValue.Str("q\" b\\ s/ \b\f\n\r\t é\u0001"));
        assertThat(value.toJson()).isEqualTo("\"q\\\" b\\\\ s/ \\u0008\\u000c\\n\\r\\t é\\u0001\"");
        assertThat(JsonText.parse(value.toJson())).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[1,", "{\"a\"}", "{\"a\":1,}", "{1:2}", "[1 2]", "tru", "nul", "01", "1.", "-",
            "\"open", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12zz\"", "\"tab\there\"", "1 2", "{\"a\":1,\"a\":2}", "1e99999999999",
            "\"\\"})
    void refusesMalformedJson(String text) {
        assertThatThrownBy(() -> JsonText.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid JSON");
    }

    @Test
    void refusesNestingDeeperThanTheBound() {
        String deep = "[".repeat(JsonText.MAX_DEPTH + 1) + "]".repeat(JsonText.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonText.parse(deep)).hasMessageContaining("nested deeper");
        String ok = "{\"a\":".repeat(JsonText.MAX_DEPTH - 1) + "[]" + "}".repeat(JsonText.MAX_DEPTH - 1);
        assertThat(JsonText.parse(ok)).isInstanceOf(JsonValue.Obj.class);
    }

    @Test
    void parseObjectRefusesOtherValues() {
        assertThat(JsonText.parseObject(" {\"a\": \"b\"} ").str("a")).contains("b");
        assertThatThrownBy(() -> JsonText.parseObject("[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void objectsAreImmutableAndEditedByCopy() {
        JsonValue.Obj obj = JsonValue.obj("a", JsonValue.str("x"), "b", JsonValue.Num.of(1));
        assertThat(obj.with("a", JsonValue.NULL).toJson()).isEqualTo("{\"a\":null,\"b\":1}");
        assertThat(obj.with("c", new JsonValue.Bool(true)).toJson()).isEqualTo("{\"a\":\"x\",\"b\":1,\"c\":true}");
        assertThat(obj.without("a", "zz").toJson()).isEqualTo("{\"b\":1}");
        assertThat(obj.toJson()).isEqualTo("{\"a\":\"x\",\"b\":1}");
        assertThatThrownBy(() -> obj.members().put("c", JsonValue.NULL)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(obj.str("b")).isEmpty();
        assertThat(obj.obj("a")).isEmpty();
        assertThat(obj.get("missing")).isEmpty();
        assertThatThrownBy(() -> JsonValue.obj("odd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JsonValue.Obj(Map.of("a", JsonValue.NULL)).with(null, JsonValue.NULL)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void valuesPrintAsJson() {
        assertThat(new JsonValue.Arr(List.of(JsonValue.NULL)).toString()).isEqualTo("[null]");
        assertThat(JsonValue.str("s").toString()).isEqualTo("\"s\"");
        assertThat(JsonValue.Num.of(7).toString()).isEqualTo("7");
        assertThat(new JsonValue.Bool(false).toString()).isEqualTo("false");
        assertThat(JsonValue.NULL.toString()).isEqualTo("null");
    }

    @Test
    void integralNumbersWhateverTheirNotation() {
        assertThat(new JsonValue.Num(new BigDecimal("42.0")).isIntegral()).isTrue();
        assertThat(new JsonValue.Num(new BigDecimal("4.2E+1")).isIntegral()).isTrue();
        assertThat(new JsonValue.Num(new BigDecimal("0.000")).isIntegral()).isTrue();
        assertThat(new JsonValue.Num(new BigDecimal("42.5")).isIntegral()).isFalse();
    }
}
