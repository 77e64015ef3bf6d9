package io.mcprelay.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards against rules that check nothing (STYLE 48): an empty or partial import, a rule naming a
 * package that does not exist (buckpal's {@code configuration}, library's {@code ui}), a framework
 * pattern that matches no real class, or {@code failOnEmptyShould} switched off.
 */
class ArchitectureGuardsTest {

    /** One package per module, each of which must reach the import. */
    private static final List<String> MODULE_PACKAGES = List.of(
            "io.mcprelay.domain..",
            "io.mcprelay.application..",
            "io.mcprelay.adapter.http..",
            "io.mcprelay.adapter.storage..",
            "io.mcprelay.adapter.stdio..",
            "io.mcprelay.bootstrap..");

    static Stream<String> modulePackages() {
        return MODULE_PACKAGES.stream();
    }

    static Stream<String> productionRulePackages() {
        return HexagonRules.MCP_RELAY.packages().stream();
    }

    static Stream<String> fixtureRulePackages() {
        return HexagonRules.forRoot(ImportedClasses.FIXTURE_ROOT).packages().stream();
    }

    @Test
    void productionImportIsNotEmpty() {
        assertThat(ImportedClasses.production()).hasSizeGreaterThan(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modulePackages")
    void productionImportHoldsEveryModule(String modulePackage) {
        assertThat(ImportedClasses.production().that(resideInAPackage(modulePackage)))
                .as("production classes in %s", modulePackage)
                .isNotEmpty();
    }

    @Test
    void productionImportHoldsNoTestOrFixtureClasses() {
        assertThat(ImportedClasses.production().that(resideInAPackage("io.mcprelay.architecture..")))
                .as("this module's test classes").isEmpty();
        assertThat(ImportedClasses.production().stream().map(JavaClass::getSimpleName))
                .as("test classes of other modules")
                .noneMatch(name -> name.endsWith("Test") || name.endsWith("IT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("productionRulePackages")
    void everyPackageAProductionRuleNamesExists(String pattern) {
        assertThat(ImportedClasses.production().that(resideInAPackage(pattern)))
                .as("production classes in %s, which a rule names", pattern)
                .isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureRulePackages")
    void everyPackageAFixtureRuleNamesExists(String pattern) {
        assertThat(ImportedClasses.fixtures().that(resideInAPackage(pattern)))
                .as("fixture classes in %s, which a rule names", pattern)
                .isNotEmpty();
    }

    @Test
    void everyClassARuleExemptsExists() {
        assertThat(HexagonRules.MCP_RELAY.namedClasses()).allSatisfy(name ->
                assertThat(ImportedClasses.production().contain(name)).as("exempted class %s exists", name).isTrue());
        assertThat(HexagonRules.forRoot(ImportedClasses.FIXTURE_ROOT).namedClasses()).allSatisfy(name ->
                assertThat(ImportedClasses.fixtures().contain(name)).as("exempted fixture %s exists", name).isTrue());
    }

    /**
     * The framework patterns are spelled right: the adapters really depend on classes they match.
     * (Only the frameworks the adapters use today.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("usedFrameworks")
    void frameworkPatternsMatchRealDependencies(String pattern) {
        assertThat(HexagonRules.FRAMEWORK_PACKAGES).contains(pattern);
        Stream<Dependency> dependencies = ImportedClasses.production().stream()
                .flatMap(c -> c.getDirectDependenciesFromSelf().stream());
        assertThat(dependencies.map(Dependency::getTargetClass))
                .as("dependencies of production classes on %s", pattern)
                .anyMatch(resideInAPackage(pattern)::test);
    }

    static Stream<String> usedFrameworks() {
        return Stream.of("io.helidon..", "com.fasterxml..", "io.lettuce..");
    }

    @Test
    void failOnEmptyShouldIsOn() {
        assertThat(ArchConfiguration.get().getProperty("archRule.failOnEmptyShould")).isEqualTo("true");
        JavaClasses nothing = new ClassFileImporter().importClasses();
        ArchRule rule = classes().that().resideInAPackage("io.mcprelay.nowhere..").should().bePublic();
        assertThatThrownBy(() -> rule.check(nothing))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("failed to check any classes");
    }
}
