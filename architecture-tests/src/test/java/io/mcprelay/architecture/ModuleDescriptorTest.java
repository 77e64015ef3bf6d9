package io.mcprelay.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Reads each module's {@code module-info} (ArchUnit ignores it, TNG/ArchUnit#1061) and checks the
 * module graph of BRIEF §2 and STYLE 1–4, 31–34, 49.
 *
 * <p>This module has no {@code module-info}, so it runs on the class path; the descriptors are
 * read with {@link ModuleFinder} from the same jars (or {@code target/classes} directories, in a
 * reactor build) that ArchUnit imports, found on the test class path.
 */
class ModuleDescriptorTest {

    static final String DOMAIN = "io.mcprelay.domain";
    static final String APPLICATION = "io.mcprelay.application";
    static final String HTTP = "io.mcprelay.adapters.http";
    static final String STORAGE = "io.mcprelay.adapters.storage";
    static final String STDIO = "io.mcprelay.adapters.stdio";
    static final String BOOTSTRAP = "io.mcprelay.bootstrap";

    private static final Map<String, ModuleDescriptor> MODULES = findProjectModules();

    @Test
    void findsEveryProjectModule() {
        assertThat(MODULES).containsOnlyKeys(DOMAIN, APPLICATION, HTTP, STORAGE, STDIO, BOOTSTRAP);
    }

    @Test
    void noModuleIsOpen() {
        MODULES.values().forEach(m -> {
            assertThat(m.isOpen()).as("%s is an open module", m.name()).isFalse();
            assertThat(m.opens()).as("unqualified opens of %s (use 'opens ... to <module>')", m.name())
                    .allMatch(ModuleDescriptor.Opens::isQualified);
        });
    }

    @Test
    void domainRequiresOnlyJavaBaseAndExportsItsPackages() {
        ModuleDescriptor domain = MODULES.get(DOMAIN);
        assertThat(names(domain.requires())).as("requires of %s", DOMAIN).containsExactly("java.base");
        assertThat(domain.exports()).noneMatch(Exports::isQualified);
        assertThat(exported(domain)).as("exports of %s", DOMAIN).isEqualTo(domain.packages());
        assertThat(domain.uses()).isEmpty();
        assertThat(domain.provides()).isEmpty();
    }

    @Test
    void applicationRequiresTransitiveDomainAndNothingElseOutsideTheJdk() {
        ModuleDescriptor application = MODULES.get(APPLICATION);
        assertThat(application.requires())
                .as("%s requires transitive %s", APPLICATION, DOMAIN)
                .anyMatch(r -> r.name().equals(DOMAIN) && r.modifiers().contains(Requires.Modifier.TRANSITIVE));
        assertThat(names(application.requires()))
                .as("requires of %s other than the domain", APPLICATION)
                .filteredOn(name -> !name.equals(DOMAIN))
                .allMatch(ModuleDescriptorTest::isJdkModule);
    }

    /**
     * What the application offers: its ports, its services (for the composition root) and the SPI
     * that code interceptors implement in their own modules. Pinned, so that a new export is a
     * deliberate change made here too.
     */
    @Test
    void applicationExportsItsPortsServicesAndTheInterceptorSpi() {
        ModuleDescriptor application = MODULES.get(APPLICATION);
        assertThat(application.exports()).noneMatch(Exports::isQualified);
        assertThat(exported(application)).as("exports of %s", APPLICATION).containsExactlyInAnyOrder(
                "io.mcprelay.application.port.in", "io.mcprelay.application.port.out", "io.mcprelay.application.port.out.upstream",
                "io.mcprelay.application.port.out.trace", "io.mcprelay.application.service",
                "io.mcprelay.application.spi");
    }

    /** The composition root finds code interceptors through ServiceLoader; it provides none itself. */
    @Test
    void bootstrapUsesTheInterceptorSpi() {
        assertThat(MODULES.get(BOOTSTRAP).uses()).containsExactly("io.mcprelay.application.spi.MessageInterceptor");
        // the one service bootstrap provides is Helidon's logging provider (so Helidon prints nothing into JSON logs)
        assertThat(MODULES.get(BOOTSTRAP).provides()).extracting(java.lang.module.ModuleDescriptor.Provides::service)
                .containsExactly("io.helidon.logging.common.spi.LoggingProvider");
    }

    @Test
    void adaptersDoNotRequireEachOtherOrBootstrap() {
        assertThat(names(MODULES.get(HTTP).requires())).doesNotContain(STORAGE, BOOTSTRAP);
        assertThat(names(MODULES.get(STORAGE).requires())).doesNotContain(HTTP, BOOTSTRAP);
        assertThat(names(MODULES.get(STDIO).requires())).doesNotContain(HTTP, STORAGE, BOOTSTRAP);
        assertThat(names(MODULES.get(HTTP).requires())).doesNotContain(STDIO);
        assertThat(names(MODULES.get(STORAGE).requires())).doesNotContain(STDIO);
    }

    @Test
    void onlyBootstrapRequiresTheAdapters() {
        MODULES.values().stream().filter(m -> !m.name().equals(BOOTSTRAP)).forEach(m ->
                assertThat(names(m.requires())).as("requires of %s", m.name()).doesNotContain(HTTP, STORAGE, STDIO));
        assertThat(names(MODULES.get(BOOTSTRAP).requires())).contains(APPLICATION, HTTP, STORAGE, STDIO);
    }

    @Test
    void nothingRequiresBootstrap() {
        MODULES.values().forEach(m ->
                assertThat(names(m.requires())).as("requires of %s", m.name()).doesNotContain(BOOTSTRAP));
    }

    @Test
    void onlyBootstrapUsesServices() {
        MODULES.values().stream().filter(m -> !m.name().equals(BOOTSTRAP)).forEach(m ->
                assertThat(m.uses()).as("uses of %s (only the composition root picks providers)", m.name()).isEmpty());
    }

    /**
     * Adapters export only what bootstrap constructs (STYLE 34). The sets are the exports as they
     * are now, so that adding an export is a deliberate change made here too.
     */
    @Test
    void adaptersExportExactlyWhatBootstrapNeeds() {
        assertThat(MODULES.get(HTTP).exports()).noneMatch(Exports::isQualified);
        assertThat(exported(MODULES.get(HTTP))).as("exports of %s", HTTP).containsExactlyInAnyOrder(
                "io.mcprelay.adapter.http.in", "io.mcprelay.adapter.http.out", "io.mcprelay.adapter.http.json",
                "io.mcprelay.adapter.http.admin", "io.mcprelay.adapter.http.metrics",
                "io.mcprelay.adapter.http.auth", "io.mcprelay.adapter.http.tracing", "io.mcprelay.adapter.http.out.credentials");
        assertThat(MODULES.get(STORAGE).exports()).noneMatch(Exports::isQualified);
        assertThat(exported(MODULES.get(STORAGE))).as("exports of %s", STORAGE).containsExactlyInAnyOrder(
                "io.mcprelay.adapter.storage.memory", "io.mcprelay.adapter.storage.redis");
        assertThat(MODULES.get(STDIO).exports()).noneMatch(Exports::isQualified);
        assertThat(exported(MODULES.get(STDIO))).as("exports of %s", STDIO).containsExactly("io.mcprelay.adapter.stdio");
    }

    @Test
    void modulesRequireOnlyWhatBriefAllows() {
        assertThat(projectRequires(APPLICATION)).containsExactly(DOMAIN);
        // an adapter reads the domain through application's 'requires transitive'; naming it again is harmless
        assertThat(projectRequires(HTTP)).contains(APPLICATION).isSubsetOf(APPLICATION, DOMAIN);
        assertThat(projectRequires(STORAGE)).contains(APPLICATION).isSubsetOf(APPLICATION, DOMAIN);
        assertThat(projectRequires(STDIO)).contains(APPLICATION).isSubsetOf(APPLICATION, DOMAIN);
    }

    private static Set<String> projectRequires(String module) {
        return names(MODULES.get(module).requires()).stream()
                .filter(name -> name.startsWith("io.mcprelay."))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Set<String> names(Set<Requires> requires) {
        return requires.stream().map(Requires::name).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Set<String> exported(ModuleDescriptor module) {
        return module.exports().stream().map(Exports::source).collect(Collectors.toSet());
    }

    private static boolean isJdkModule(String name) {
        return ModuleFinder.ofSystem().find(name).isPresent();
    }

    /** The io.mcprelay modules among the class path entries that carry a module-info. */
    private static Map<String, ModuleDescriptor> findProjectModules() {
        Map<String, ModuleDescriptor> found = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!hasModuleInfo(path)) {
                continue;
            }
            for (ModuleReference ref : ModuleFinder.of(path).findAll()) {
                ModuleDescriptor descriptor = ref.descriptor();
                if (descriptor.name().startsWith("io.mcprelay.")) {
                    ModuleDescriptor previous = found.put(descriptor.name(), descriptor);
                    assertThat(previous).as("%s found twice on the class path", descriptor.name()).isNull();
                }
            }
        }
        return found;
    }

    private static boolean hasModuleInfo(Path path) {
        if (Files.isDirectory(path)) {
            return Files.exists(path.resolve("module-info.class"));
        }
        if (!path.toString().endsWith(".jar") || !Files.isRegularFile(path)) {
            return false;
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            return jar.getEntry("module-info.class") != null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
