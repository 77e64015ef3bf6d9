package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid configuration files, each with the message that names its key and what is wrong. */
class InvalidConfigFileTest {

    private static final String UPSTREAM = "upstreams:\n  - name: a\n    url: http://127.0.0.1:3001/mcp\n";

    /** The cases, each a file and its problem: invalid-config-files.yaml beside this class. */
    private static final String CASES = "invalid-config-files.yaml";

    static Stream<Arguments> invalidFiles() throws IOException {
        List<Map<String, String>> cases;
        try (InputStream in = InvalidConfigFileTest.class.getResourceAsStream(CASES)) {
            cases = new ObjectMapper(new YAMLFactory()).readValue(Objects.requireNonNull(in, CASES), new TypeReference<>() {
            });
        }
        Stream<Arguments> written = cases.stream().map(c -> Arguments.of(c.get("case"),
                c.containsKey("settings") ? UPSTREAM + c.get("settings") : Objects.requireNonNull(c.get("file"), "file or settings"),
                c.get("problem")));
        // too long to write out
        Stream<Arguments> generated = Stream.of(Arguments.of("glob too long",
                UPSTREAM + "interceptors:\n  rules:\n    - {name: r, match: {method: '" + "x".repeat(300) + "'}, action: block}\n",
                "interceptors.rules[0].match.method: not a valid pattern: a pattern has 1..256 characters"));
        return Stream.concat(written, generated);
    }

    @Test
    void everyCaseHasANameAFileAndAProblem() throws IOException {
        assertThat(invalidFiles()).hasSizeGreaterThan(50).allSatisfy(a -> assertThat(a.get()).doesNotContainNull());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void anInvalidFileIsRefusedWithAMessageNamingTheKey(String name, String yaml, String expected) {
        ConfigException refused = catchThrowableOfType(ConfigException.class,
                () -> Configuration.resolve(ConfigFile.parse(yaml), Map.of(), Map.of()));

        assertThat(refused).as("a configuration with %s is refused", name).isNotNull();
        assertThat(refused.problems()).containsExactly(expected);
    }
}
