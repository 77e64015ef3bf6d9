package io.mcprelay.architecture;

import com.tngtech.archunit.lang.ArchRule;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks every hexagon rule against the production classes of all modules. */
class HexagonRulesTest {

    static Stream<String> rules() {
        return HexagonRules.MCP_RELAY.all().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void productionCodeFollows(String ruleName) {
        ArchRule rule = HexagonRules.MCP_RELAY.rule(ruleName);
        rule.check(ImportedClasses.production());
    }
}
