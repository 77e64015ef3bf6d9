package io.mcprelay.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The two imports the rules are checked against, each made once per test run. */
final class ImportedClasses {

    /** Where the negative fixtures live, laid out like the production packages. */
    static final String FIXTURE_ROOT = "io.mcprelay.architecture.fixtures";

    private ImportedClasses() {
    }

    /** The production classes of every module, from the module jars (or classes dirs) on the test classpath. */
    static JavaClasses production() {
        return Production.CLASSES;
    }

    /** The negative fixtures, from this module's test classes. */
    static JavaClasses fixtures() {
        return Fixtures.CLASSES;
    }

    private static final class Production {
        static final JavaClasses CLASSES = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(HexagonRules.PRODUCTION_ROOT);
    }

    private static final class Fixtures {
        static final JavaClasses CLASSES = new ClassFileImporter().importPackages(FIXTURE_ROOT);
    }
}
