package io.mcprelay.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import io.mcprelay.architecture.fixtures.adapter.http.in.ThingEndpoint;
import io.mcprelay.architecture.fixtures.adapter.http.out.HttpStoreAdapter;
import io.mcprelay.architecture.fixtures.adapter.storage.memory.InMemoryStoreAdapter;
import io.mcprelay.architecture.fixtures.application.port.in.DoThingCommand;
import io.mcprelay.architecture.fixtures.application.port.in.DoThingUseCase;
import io.mcprelay.architecture.fixtures.application.port.out.ReplyPort;
import io.mcprelay.architecture.fixtures.application.port.out.SaveOutcome;
import io.mcprelay.architecture.fixtures.application.port.out.StoreFailedException;
import io.mcprelay.architecture.fixtures.application.port.out.StorePort;
import io.mcprelay.architecture.fixtures.application.spi.ThingInterceptor;
import io.mcprelay.architecture.fixtures.application.spi.ThingMessage;
import io.mcprelay.architecture.fixtures.bootstrap.FixtureAssembly;
import io.mcprelay.architecture.fixtures.domain.CleanValue;
import io.mcprelay.architecture.fixtures.application.service.DoThingService;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule must report the fixture that breaks it on purpose (STYLE 48): a rule that names a
 * package that does not exist, or swaps its lists, checks nothing and would fail here. The same
 * rules must accept the well-formed fixtures, which pins down what each rule allows.
 */
class HexagonRulesFixturesTest {

    private static final HexagonRules RULES = HexagonRules.forRoot(ImportedClasses.FIXTURE_ROOT);

    /** A rule, and a fixture class (relative to the fixture root) that it must report as a violation. */
    record Breach(String rule, String fixture) {

        String fixtureName() {
            return ImportedClasses.FIXTURE_ROOT + "." + fixture;
        }

        @Override
        public String toString() {
            return rule + " reports " + fixture;
        }
    }

    static final List<Breach> BREACHES = List.of(
            new Breach("domainDependsOnlyOnJavaAndItself", "domain.BadUpwardDependency"),
            new Breach("domainDependsOnlyOnJavaAndItself", "domain.BadFrameworkUser"),
            new Breach("domainUsesNoFramework", "domain.BadFrameworkUser"),
            new Breach("domainDoesNoIo", "domain.BadFileReader"),
            new Breach("domainDoesNoIo", "domain.BadSocketOpener"),
            new Breach("domainReadsNoClock", "domain.BadClockReader"),
            new Breach("domainReadsNoClock", "domain.BadNanoTimeReference"),
            new Breach("domainStartsNoThreads", "domain.BadThreadStarter"),
            new Breach("domainStartsNoThreads", "domain.BadParallelStream"),
            new Breach("domainRecordsHaveOnlyFinalFields", "domain.MutableStaticRecord"),
            new Breach("domainRecordFieldsHaveImmutableTypes", "domain.ArrayRecord"),
            new Breach("domainHasNoPublicSetters", "domain.SettableThing"),
            new Breach("applicationDependsOnlyOnDomainAndJava", "application.service.JacksonReader"),
            new Breach("applicationUsesNoFramework", "application.service.JacksonReader"),
            new Breach("applicationDoesNoFileOrSocketIo", "application.service.FileLoader"),
            new Breach("portInHoldsOnlyUseCasesCommandsAndQueries", "application.port.in.ThingHandler"),
            new Breach("portInHoldsOnlyUseCasesCommandsAndQueries", "application.port.in.CommandDefaults"),
            new Breach("portOutInterfacesEndInPort", "application.port.out.Storage"),
            new Breach("portsHoldOnlyInterfacesRecordsEnumsAndExceptions", "application.port.out.PortSupport"),
            new Breach("portsHoldOnlyInterfacesRecordsEnumsAndExceptions", "application.port.in.CommandDefaults"),
            new Breach("portOutDoesNotDependOnPortIn", "application.port.out.CommandAwarePort"),
            new Breach("servicesImplementAUseCase", "application.service.OrphanService"),
            new Breach("spiHoldsOnlyInterfacesAndRecords", "application.spi.InterceptorBase"),
            new Breach("spiDependsOnlyOnDomainAndJava", "application.spi.PortLeakingInterceptor"),
            new Breach("adaptersLiveInAdapterPackages", "application.service.MisplacedAdapter"),
            new Breach("adaptersImplementAnOutPort", "adapter.storage.memory.PortlessAdapter"),
            new Breach("httpInDoesNotDependOnHttpOut", "adapter.http.in.InboundUsingOutbound"),
            new Breach("httpOutDoesNotDependOnHttpIn", "adapter.http.out.OutboundUsingInbound"),
            new Breach("adaptersDoNotDependOnEachOther", "adapter.http.out.OutboundUsingStorage"),
            new Breach("adaptersDoNotDependOnEachOther", "adapter.storage.memory.StorageUsingHttp"),
            new Breach("adaptersDoNotDependOnEachOther", "adapter.stdio.StdioUsingHttp"),
            new Breach("onlyBootstrapDependsOnAdapters", "application.service.AdapterCaller"),
            new Breach("nothingDependsOnBootstrap", "adapter.storage.memory.StorageUsingBootstrap"),
            new Breach("noStandardStreams", "adapter.http.in.StdoutPrinter"),
            new Breach("noGenericExceptions", "application.service.GenericThrower"),
            new Breach("noJavaUtilLoggingOutsideBootstrap", "adapter.storage.memory.JulLogging"));

    /** Fixtures that break nothing: every rule accepts them (and each rule selects some of them). */
    private static final Class<?>[] WELL_FORMED = {
            CleanValue.class, DoThingUseCase.class, DoThingCommand.class, StorePort.class, ReplyPort.class,
            SaveOutcome.class, StoreFailedException.class, DoThingService.class, ThingEndpoint.class,
            HttpStoreAdapter.class, InMemoryStoreAdapter.class, FixtureAssembly.class, ThingInterceptor.class, ThingMessage.class,
            io.mcprelay.architecture.fixtures.bootstrap.Main.class};

    static Stream<Breach> breaches() {
        return BREACHES.stream();
    }

    static Stream<String> rules() {
        return RULES.all().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breaches")
    void ruleReportsItsFixture(Breach breach) {
        ArchRule rule = RULES.rule(breach.rule());
        JavaClasses fixtures = ImportedClasses.fixtures();
        assertThat(fixtures.contain(breach.fixtureName())).as("fixture %s exists", breach.fixtureName()).isTrue();

        assertThatThrownBy(() -> rule.check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[" + breach.rule() + "]")
                .hasMessageContaining("because");
        List<String> violators = rule.evaluate(fixtures).getFailureReport().getDetails().stream()
                .map(HexagonRulesFixturesTest::origin)
                .toList();
        assertThat(violators)
                .as("classes reported by %s", breach.rule())
                .anyMatch(origin -> belongsTo(origin, breach.fixtureName()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleAcceptsTheWellFormedFixtures(String ruleName) {
        // package-info classes included: maven-compiler-plugin writes them, and port rules must not count them
        JavaClasses wellFormed = ImportedClasses.fixtures()
                .that(belongToAnyOf(WELL_FORMED).or(simpleName("package-info")));
        assertThat(wellFormed.contain(ImportedClasses.FIXTURE_ROOT + ".application.port.in.package-info")).isTrue();
        RULES.rule(ruleName).check(wellFormed);
    }

    @Test
    void everyRuleHasANegativeFixture() {
        Set<String> covered = BREACHES.stream().map(Breach::rule).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(RULES.all().keySet());
    }

    /** The first {@code <...>} of a violation line names its origin: a class, or a member of one. */
    private static String origin(String detail) {
        int start = detail.indexOf('<');
        int end = detail.indexOf('>', start + 1);
        return start < 0 || end < 0 ? detail : detail.substring(start + 1, end);
    }

    private static boolean belongsTo(String origin, String className) {
        return origin.equals(className) || origin.startsWith(className + ".") || origin.startsWith(className + "$");
    }
}
