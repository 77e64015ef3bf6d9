package io.mcprelay.adapter.http.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class JacksonJsonEditAdapterTest {

    private final JacksonJsonEditAdapter json = new JacksonJsonEditAdapter();

    @Test
    void batchElementsAreCutOutOfTheOriginalTextExactly() {
        String first = "{\"jsonrpc\":\"2.0\", \"id\": 12345678901234567890 ,\"method\":\"ping\"}";
        String second = "{\"jsonrpc\":\"2.0\",\"id\":1.50e3,\"result\":{\"a\":[1, {\"b\":\"]}\"}]}}";

        assertThat(json.arrayElements("[ " + first + " ,\n" + second + "]")).containsExactly(first, second);
        assertThat(json.arrayElements("[]")).isEmpty();
    }

    @Test
    void whatIsNoArrayCannotBeTakenApart() {
        assertThatThrownBy(() -> json.arrayElements("{\"a\":1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> json.arrayElements("[1,")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> json.arrayElements("[1] x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replacesTheValueAtAPointerKeepingEveryNumberExact() {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,\"method\":\"tools/call\",\"params\":{\"name\":\"login\","
                + "\"arguments\":{\"password\":\"hunter2\",\"pi\":3.14159265358979323846264338327950288}}}";

        assertThat(json.replaceAt(call, "/params/arguments/password", "\"[REDACTED]\"")).contains(call.replace("\"hunter2\"", "\"[REDACTED]\""));
        assertThat(json.replaceAt(call, "/params/arguments", "{}")).contains(
                "{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,\"method\":\"tools/call\",\"params\":{\"name\":\"login\",\"arguments\":{}}}");
    }

    @Test
    void pointersReachIntoArraysAndEscapedNames() {
        String result = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"secret\"}],\"a/b\":{\"c~d\":1}}}";

        assertThat(json.replaceAt(result, "/result/content/0/text", "\"***\"")).hasValueSatisfying(v -> assertThat(v)
                .contains("\"text\":\"***\"").doesNotContain("secret"));
        assertThat(json.replaceAt(result, "/result/a~1b/c~0d", "null")).hasValueSatisfying(v -> assertThat(v).contains("{\"c~d\":null}"));
    }

    @Test
    void aMissingMemberLeavesTheMessageAlone() {
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

        assertThat(json.replaceAt(ping, "/params/arguments/password", "null")).isEmpty();
        assertThat(json.replaceAt(ping, "/params", "null")).isEmpty();
        assertThat(json.replaceAt("{\"a\":[1]}", "/a/1", "null")).isEmpty();
        assertThat(json.replaceAt("{\"a\":[1]}", "/a/x", "null")).isEmpty();
        assertThat(json.replaceAt("not json", "/a", "null")).isEmpty();
    }

    @Test
    void removesHiddenToolsFromAToolsListResult() {
        String list = "{\"jsonrpc\":\"2.0\",\"id\":\"l\",\"result\":{\"tools\":[{\"name\":\"echo\",\"inputSchema\":{}},"
                + "{\"name\":\"get-env\"},{\"name\":\"get-sum\"}],\"nextCursor\":\"c\"}}";

        assertThat(json.removeTools(list, Set.of("get-env", "get-sum")::contains)).contains(
                "{\"jsonrpc\":\"2.0\",\"id\":\"l\",\"result\":{\"tools\":[{\"name\":\"echo\",\"inputSchema\":{}}],\"nextCursor\":\"c\"}}");
        assertThat(json.removeTools(list, "nothing"::equals)).isEmpty();
        assertThat(json.removeTools("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", name -> true)).isEmpty();
    }

    @Test
    void tellsJsonFromWhatIsNot() {
        assertThat(json.isJson("{\"prompts\":[]}")).isTrue();
        assertThat(json.isJson("\"[REDACTED]\"")).isTrue();
        assertThat(json.isJson("null")).isTrue();
        assertThat(json.isJson("[REDACTED]")).isFalse();
        assertThat(json.isJson("{\"a\":1,\"a\":2}")).as("duplicate keys").isFalse();
        assertThat(json.isJson("{} {}")).isFalse();
        assertThat(json.isJson("")).isFalse();
        assertThat(json.isJson("[".repeat(JacksonMessageCodecAdapter.MAX_NESTING + 1))).isFalse();
    }
}
