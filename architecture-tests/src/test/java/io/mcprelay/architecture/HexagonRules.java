package io.mcprelay.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.conditions.ArchConditions.be;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.io.Console;
import java.io.File;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.time.InstantSource;
import java.util.Calendar;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.stream.BaseStream;

/**
 * The rules that keep the hexagon honest (STYLE 44–48, BRIEF §2), for one root package.
 *
 * <p>{@link #MCP_RELAY} holds them for the production code ({@code io.mcprelay}); {@link #forRoot}
 * builds the same rules for another root laid out the same way, which is how the negative fixtures
 * under {@code io.mcprelay.architecture.fixtures} are checked (each rule must report the fixture
 * that breaks it on purpose, so that no rule can pass by checking nothing).
 *
 * <p>Every rule says in its {@code because} why it exists and, in brackets, its name, so that a
 * failure message names the rule. Every package a rule names is listed in {@link #packages()}, and
 * a guard test asserts that each of them holds classes.
 */
public final class HexagonRules {

    /** The production root package. */
    public static final String PRODUCTION_ROOT = "io.mcprelay";

    /** Frameworks and logging libraries that neither the domain nor the application may touch (STYLE 1, 44). */
    public static final List<String> FRAMEWORK_PACKAGES = List.of(
            "io.helidon..", "com.fasterxml..", "io.lettuce..", "io.netty..", "org.slf4j..", "reactor..",
            "java.util.logging..");

    /**
     * The only classes that may write to {@code System.out}/{@code System.err}, relative to the root:
     * the command-line entry point, which prints usage, start-up errors and the ready line.
     */
    static final List<String> STANDARD_STREAM_USERS = List.of("bootstrap.Main");

    /** The rules for the production code. */
    public static final HexagonRules MCP_RELAY = forRoot(PRODUCTION_ROOT);

    /** maven-compiler-plugin writes a package-info class (an interface) even for a Javadoc-only package-info.java. */
    private static final String PACKAGE_INFO = "package-info";

    private final String root;
    private final Set<String> packages = new LinkedHashSet<>();
    private final Map<String, ArchRule> rules = new LinkedHashMap<>();

    // ---- domain
    public final ArchRule domainDependsOnlyOnJavaAndItself;
    public final ArchRule domainUsesNoFramework;
    public final ArchRule domainDoesNoIo;
    public final ArchRule domainReadsNoClock;
    public final ArchRule domainStartsNoThreads;
    public final ArchRule domainRecordsHaveOnlyFinalFields;
    public final ArchRule domainRecordFieldsHaveImmutableTypes;
    public final ArchRule domainHasNoPublicSetters;
    // ---- application
    public final ArchRule applicationDependsOnlyOnDomainAndJava;
    public final ArchRule applicationUsesNoFramework;
    public final ArchRule applicationDoesNoFileOrSocketIo;
    // ---- ports and services
    public final ArchRule portInHoldsOnlyUseCasesCommandsAndQueries;
    public final ArchRule portOutInterfacesEndInPort;
    public final ArchRule portsHoldOnlyInterfacesRecordsEnumsAndExceptions;
    public final ArchRule portOutDoesNotDependOnPortIn;
    public final ArchRule servicesImplementAUseCase;
    // ---- the extension point for code interceptors
    public final ArchRule spiHoldsOnlyInterfacesAndRecords;
    public final ArchRule spiDependsOnlyOnDomainAndJava;
    // ---- adapters and bootstrap
    public final ArchRule adaptersLiveInAdapterPackages;
    public final ArchRule adaptersImplementAnOutPort;
    public final ArchRule httpInDoesNotDependOnHttpOut;
    public final ArchRule httpOutDoesNotDependOnHttpIn;
    public final ArchRule adaptersDoNotDependOnEachOther;
    public final ArchRule onlyBootstrapDependsOnAdapters;
    public final ArchRule nothingDependsOnBootstrap;
    // ---- general coding rules
    public final ArchRule noStandardStreams;
    public final ArchRule noGenericExceptions;
    public final ArchRule noJavaUtilLoggingOutsideBootstrap;

    /** The rules for the code under {@code root}, laid out as {@code root.domain}, {@code root.application.port.in}, ... */
    public static HexagonRules forRoot(String root) {
        return new HexagonRules(root);
    }

    private HexagonRules(String root) {
        this.root = root;
        String all = pkg("..");
        String domain = pkg(".domain..");
        String application = pkg(".application..");
        String ports = pkg(".application.port..");
        String portIn = pkg(".application.port.in..");
        String portOut = pkg(".application.port.out..");
        String service = pkg(".application.service..");
        String spi = pkg(".application.spi..");
        String adapter = pkg(".adapter..");
        String httpIn = pkg(".adapter.http.in..");
        String httpOut = pkg(".adapter.http.out..");
        String bootstrap = pkg(".bootstrap..");
        String[] frameworks = FRAMEWORK_PACKAGES.toArray(String[]::new);

        // ---- domain: pure Java, no I/O, no clock, no threads, no framework (BRIEF §2)

        domainDependsOnlyOnJavaAndItself = add("domainDependsOnlyOnJavaAndItself", classes()
                .that().resideInAPackage(domain)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..", domain)
                .because("the domain requires java.base only (javax.crypto is part of it); it knows neither the application nor any adapter"
                        + " (adding jMolecules would be a deliberate change here and in ModuleDescriptorTest)"));

        domainUsesNoFramework = add("domainUsesNoFramework", noClasses()
                .that().resideInAPackage(domain)
                .should().dependOnClassesThat().resideInAnyPackage(frameworks)
                .because("the domain is framework-free: no Helidon, Jackson, Lettuce, Netty, Reactor or logging"
                        + " framework (System.Logger if anything)"));

        domainDoesNoIo = add("domainDoesNoIo", noClasses()
                .that().resideInAPackage(domain)
                .should().dependOnClassesThat(Select.IO_TYPES)
                .because("the domain does no I/O: files, streams, sockets and HTTP live behind outbound ports"
                        + " (java.net.URI is a value and is allowed)"));

        domainReadsNoClock = add("domainReadsNoClock", noClasses()
                .that().resideInAPackage(domain)
                .should().accessTargetWhere(Select.CLOCK_READS)
                .orShould().dependOnClassesThat(Select.CLOCK_TYPES)
                .because("the domain reads no clock: time comes in as a parameter, from ClockPort"));

        domainStartsNoThreads = add("domainStartsNoThreads", noClasses()
                .that().resideInAPackage(domain)
                .should().dependOnClassesThat(Select.THREADING_TYPES)
                .orShould().accessTargetWhere(Select.PARALLEL_STREAMS)
                .because("the domain starts no threads: concurrency belongs to the adapters and virtual threads"));

        domainRecordsHaveOnlyFinalFields = add("domainRecordsHaveOnlyFinalFields", fields()
                .that().areDeclaredInClassesThat().resideInAPackage(domain)
                .and().areDeclaredInClassesThat().areRecords()
                .should().beFinal()
                .because("domain values are immutable records; a mutable static field in a record is shared state"));

        domainRecordFieldsHaveImmutableTypes = add("domainRecordFieldsHaveImmutableTypes", fields()
                .that().areDeclaredInClassesThat().resideInAPackage(domain)
                .and().areDeclaredInClassesThat().areRecords()
                .should().notHaveRawType(Select.MUTABLE_TYPES)
                .because("domain records hold immutable values: List/Set/Map copied with copyOf, never arrays,"
                        + " mutable collection classes, Date or builders (STYLE 13, 47)"));

        domainHasNoPublicSetters = add("domainHasNoPublicSetters", methods()
                .that().areDeclaredInClassesThat().resideInAPackage(domain)
                .and().arePublic()
                .should().haveNameNotMatching("set[A-Z].*")
                .because("domain objects are immutable: a change makes a new value (STYLE 47)"));

        // ---- application: no framework, no I/O of its own

        applicationDependsOnlyOnDomainAndJava = add("applicationDependsOnlyOnDomainAndJava", classes()
                .that().resideInAPackage(application)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", domain, application)
                .because("the application requires only the domain; everything outside goes through an outbound port"));

        applicationUsesNoFramework = add("applicationUsesNoFramework", noClasses()
                .that().resideInAPackage(application)
                .should().dependOnClassesThat().resideInAnyPackage(frameworks)
                .because("the application is framework-free; frameworks live in adapters (STYLE 44)"));

        applicationDoesNoFileOrSocketIo = add("applicationDoesNoFileOrSocketIo", noClasses()
                .that().resideInAPackage(application)
                .should().dependOnClassesThat(Select.FILE_AND_SOCKET_TYPES)
                .because("the application reaches files, sockets and HTTP only through outbound ports"
                        + " (streams handed over by a port, such as an InputStream body, are fine)"));

        // ---- ports and services (STYLE 7–9, 45)

        portInHoldsOnlyUseCasesCommandsAndQueries = add("portInHoldsOnlyUseCasesCommandsAndQueries", classes()
                .that().resideInAPackage(portIn)
                .and().areTopLevelClasses()
                .and().doNotHaveSimpleName(PACKAGE_INFO)
                .should(be(Select.USE_CASE_OR_COMMAND))
                .because("an inbound port is a <Verb><Noun>UseCase (or Query) taking a <Verb><Noun>Command record"));

        portOutInterfacesEndInPort = add("portOutInterfacesEndInPort", classes()
                .that().resideInAPackage(portOut)
                .and().areTopLevelClasses()
                .and().doNotHaveSimpleName(PACKAGE_INFO)
                .and().areInterfaces()
                .and(not(Select.SEALED))
                .and(not(Select.DATA_INTERFACE))
                .should().haveSimpleNameEndingWith("Port")
                .because("an outbound port has one capability and its name ends in Port; sealed interfaces are data"
                        + " (results such as UpstreamReply), and so are markers without methods (TransportEcho) and"
                        + " resources a port hands over to be closed (UpstreamEvents), not ports"));

        portsHoldOnlyInterfacesRecordsEnumsAndExceptions = add("portsHoldOnlyInterfacesRecordsEnumsAndExceptions", classes()
                .that().resideInAPackage(ports)
                .should(be(Select.PORT_MATERIAL))
                .because("ports are contracts: interfaces plus the records, enums and exceptions in their signatures;"
                        + " behaviour lives in services and adapters"));

        portOutDoesNotDependOnPortIn = add("portOutDoesNotDependOnPortIn", noClasses()
                .that().resideInAPackage(portOut)
                .should().dependOnClassesThat().resideInAPackage(portIn)
                .because("outbound ports serve the use cases and must not know them (a use case may take an"
                        + " outbound port, such as DownstreamPort, as a parameter: that direction is allowed)"));

        servicesImplementAUseCase = add("servicesImplementAUseCase", classes()
                .that().resideInAPackage(service)
                .and().arePublic()
                .and().haveSimpleNameEndingWith("Service")
                .should().implement(resideInAPackage(portIn))
                .because("a <Noun>Service implements at least one <X>UseCase; helpers are not named Service (STYLE 9)"));

        // ---- the SPI: what users implement in their own modules (docs/interceptors.md)

        spiHoldsOnlyInterfacesAndRecords = add("spiHoldsOnlyInterfacesAndRecords", classes()
                .that().resideInAPackage(spi)
                .should(be(Select.INTERFACE_OR_RECORD))
                .because("the SPI is a contract users implement in their own modules: interfaces and the data records"
                        + " in their signatures; behaviour stays in the services"));

        spiDependsOnlyOnDomainAndJava = add("spiDependsOnlyOnDomainAndJava", classes()
                .that().resideInAPackage(spi)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", domain, spi)
                .because("user code compiles against the SPI: it shows domain values only, never the relay's ports or"
                        + " services, which may change without notice"));

        // ---- adapters and bootstrap (STYLE 3, 4, 10, 46)

        adaptersLiveInAdapterPackages = add("adaptersLiveInAdapterPackages", classes()
                .that().resideInAPackage(all)
                .and().haveSimpleNameEndingWith("Adapter")
                .should().resideInAPackage(adapter)
                .because("an Adapter is technology and lives in an adapter package (STYLE 10, 46)"));

        adaptersImplementAnOutPort = add("adaptersImplementAnOutPort", classes()
                .that().resideInAPackage(all)
                .and().haveSimpleNameEndingWith("Adapter")
                .should().implement(resideInAPackage(portOut))
                .because("an Adapter implements at least one outbound port; the driving side is an endpoint, not an"
                        + " Adapter (STYLE 10, 46)"));

        httpInDoesNotDependOnHttpOut = add("httpInDoesNotDependOnHttpOut", noClasses()
                .that().resideInAPackage(httpIn)
                .should().dependOnClassesThat().resideInAPackage(httpOut)
                .because("the driving HTTP endpoint and the driven upstream client share a module but not code;"
                        + " they meet only through the application (a boundary JPMS cannot see, STYLE 46)"));

        httpOutDoesNotDependOnHttpIn = add("httpOutDoesNotDependOnHttpIn", noClasses()
                .that().resideInAPackage(httpOut)
                .should().dependOnClassesThat().resideInAPackage(httpIn)
                .because("the driven upstream client and the driving HTTP endpoint share a module but not code;"
                        + " they meet only through the application (a boundary JPMS cannot see, STYLE 46)"));

        // one slice per adapter (http, storage, stdio, ...): a new adapter is covered without a new rule
        adaptersDoNotDependOnEachOther = add("adaptersDoNotDependOnEachOther", SlicesRuleDefinition.slices()
                .matching(root + ".adapter.(*)..")
                .should().notDependOnEachOther()
                .because("adapters never depend on each other; they meet through ports (STYLE 3)"));

        onlyBootstrapDependsOnAdapters = add("onlyBootstrapDependsOnAdapters", noClasses()
                .that().resideInAPackage(all)
                .and().resideOutsideOfPackages(adapter, bootstrap)
                .should().dependOnClassesThat().resideInAPackage(adapter)
                .because("adapters are plugged in by the composition root alone (STYLE 4)"));

        nothingDependsOnBootstrap = add("nothingDependsOnBootstrap", noClasses()
                .that().resideInAPackage(all)
                .and().resideOutsideOfPackage(bootstrap)
                .should().dependOnClassesThat().resideInAPackage(bootstrap)
                .because("bootstrap is the composition root: it depends on everything and nothing depends on it"));

        // ---- general coding rules (STYLE 47)

        List<String> streamUsers = STANDARD_STREAM_USERS.stream().map(name -> root + "." + name).toList();
        noStandardStreams = add("noStandardStreams", noClasses()
                .that().resideInAPackage(all)
                .and(not(belongToAnyOfNames(streamUsers)))
                .should(ACCESS_STANDARD_STREAMS)
                .because("output goes through System.Logger or a port, not System.out/err or printStackTrace"
                        + (streamUsers.isEmpty() ? "" : " (only " + streamUsers + " may print)")));

        noGenericExceptions = add("noGenericExceptions", noClasses()
                .that().resideInAPackage(all)
                .should(THROW_GENERIC_EXCEPTIONS)
                .because("exceptions say what failed: throw a specific type, never Throwable, Exception or"
                        + " RuntimeException (STYLE 18)"));

        noJavaUtilLoggingOutsideBootstrap = add("noJavaUtilLoggingOutsideBootstrap", noClasses()
                .that().resideInAPackage(all)
                .and().resideOutsideOfPackage(bootstrap)
                .should(USE_JAVA_UTIL_LOGGING)
                .because("code logs through System.Logger; only bootstrap may configure java.util.logging"));
    }

    /** The root package these rules were built for. */
    public String root() {
        return root;
    }

    /** Every rule, by name, in declaration order. */
    public Map<String, ArchRule> all() {
        return Collections.unmodifiableMap(rules);
    }

    /** The rule called {@code name}. */
    public ArchRule rule(String name) {
        ArchRule rule = rules.get(name);
        if (rule == null) {
            throw new IllegalArgumentException("no rule named " + name + "; known: " + rules.keySet());
        }
        return rule;
    }

    /** Every package pattern under the root that a rule names; each must hold classes. */
    public Set<String> packages() {
        return Collections.unmodifiableSet(packages);
    }

    /** Every class a rule names (exemptions), fully qualified; each must exist. */
    public List<String> namedClasses() {
        return STANDARD_STREAM_USERS.stream().map(name -> root + "." + name).toList();
    }

    private String pkg(String suffix) {
        String pattern = root + suffix;
        packages.add(pattern);
        return pattern;
    }

    /** Registers {@code rule} under {@code name}, which is appended to its description and so to every failure message. */
    private ArchRule add(String name, ArchRule rule) {
        ArchRule named = rule.as(rule.getDescription() + " [" + name + "]");
        rules.put(name, named);
        return named;
    }

    /**
     * What the rules look for. A nested class so that these are initialized before {@link #MCP_RELAY}
     * builds its rules from them.
     */
    private static final class Select {

        static final DescribedPredicate<JavaClass> IO_TYPES = describe(
                "do I/O (java.io streams/readers/writers/files, java.nio.file, java.nio.channels, java.net other than"
                        + " URI, processes)",
                c -> isAssignableToAny(c, InputStream.class, OutputStream.class, Reader.class, Writer.class, File.class,
                        RandomAccessFile.class, FileDescriptor.class, Console.class, ProcessBuilder.class, Process.class)
                        || resideInAnyPackage("java.nio.file..", "java.nio.channels..", "java.net..").test(c)
                        && !belongToAnyOf(URI.class, URISyntaxException.class, URLEncoder.class, URLDecoder.class).test(c));

        static final DescribedPredicate<JavaClass> FILE_AND_SOCKET_TYPES = describe(
                "touch files, sockets or HTTP connections (java.io.File*, java.nio.file, java.nio.channels,"
                        + " java.net sockets/URLConnection, java.net.http, processes)",
                c -> isAssignableToAny(c, File.class, RandomAccessFile.class, FileDescriptor.class,
                        java.io.FileInputStream.class, java.io.FileOutputStream.class, java.io.FileReader.class,
                        java.io.FileWriter.class, Socket.class, ServerSocket.class, DatagramSocket.class,
                        URLConnection.class, ProcessBuilder.class, Process.class)
                        || resideInAnyPackage("java.nio.file..", "java.nio.channels..", "java.net.http..").test(c));

        static final DescribedPredicate<JavaClass> CLOCK_TYPES = describe(
                "are clocks (java.time.InstantSource, java.time.Clock)",
                c -> c.isAssignableTo(InstantSource.class));

        /** {@code now()} of any java.time type, System.currentTimeMillis/nanoTime, Calendar.getInstance, new Date(). */
        static final DescribedPredicate<JavaAccess<?>> CLOCK_READS = describe(
                "read the clock (java.time *.now(), System.currentTimeMillis(), System.nanoTime(),"
                        + " Calendar.getInstance(), new Date())",
                access -> {
                    JavaClass owner = access.getTargetOwner();
                    String name = access.getName();
                    return owner.getPackageName().startsWith("java.time") && name.equals("now")
                            || owner.isEquivalentTo(System.class) && (name.equals("currentTimeMillis") || name.equals("nanoTime"))
                            || owner.isAssignableTo(Calendar.class) && name.equals("getInstance")
                            || owner.isEquivalentTo(Date.class) && name.equals("<init>")
                            && access.getTarget() instanceof AccessTarget.CodeUnitAccessTarget target
                            && target.getRawParameterTypes().isEmpty();
                });

        static final DescribedPredicate<JavaClass> THREADING_TYPES = describe(
                "start or schedule threads (Thread, Thread.Builder, Executor(s), ThreadFactory, CompletableFuture,"
                        + " Timer, StructuredTaskScope)",
                c -> isAssignableToAny(c, Thread.class, Thread.Builder.class, Executor.class, Executors.class,
                        ThreadFactory.class, CompletableFuture.class, java.util.Timer.class, java.util.TimerTask.class)
                        || c.getName().startsWith("java.util.concurrent.StructuredTaskScope"));

        static final DescribedPredicate<JavaAccess<?>> PARALLEL_STREAMS = describe(
                "run parallel streams (Collection.parallelStream(), BaseStream.parallel())",
                access -> access.getTargetOwner().isAssignableTo(Collection.class) && access.getName().equals("parallelStream")
                        || access.getTargetOwner().isAssignableTo(BaseStream.class) && access.getName().equals("parallel"));

        static final DescribedPredicate<JavaClass> MUTABLE_TYPES = describe(
                "a mutable type (array, mutable collection class, Date, Calendar, StringBuilder, atomic)",
                c -> c.isArray()
                        || c.getPackageName().equals("java.util.concurrent.atomic")
                        || isAssignableToAny(c, java.util.AbstractCollection.class, java.util.AbstractMap.class,
                        java.util.Hashtable.class, Date.class, Calendar.class, StringBuilder.class, StringBuffer.class));

        static final DescribedPredicate<JavaClass> USE_CASE_OR_COMMAND = describe(
                "an interface named *UseCase or *Query, or a record named *Command or *Query",
                c -> c.isInterface() && endsWithAny(c.getSimpleName(), "UseCase", "Query")
                        || c.isRecord() && endsWithAny(c.getSimpleName(), "Command", "Query"));

        static final DescribedPredicate<JavaClass> SEALED = describe("sealed", JavaClass::isSealed);

        /** A marker interface (no methods of its own) or a resource handed over to be closed. */
        static final DescribedPredicate<JavaClass> DATA_INTERFACE = describe("a marker or a resource handed over",
                c -> c.getMethods().isEmpty() || c.isAssignableTo(AutoCloseable.class));

        static final DescribedPredicate<JavaClass> INTERFACE_OR_RECORD = describe(
                "an interface or a record", c -> c.isInterface() || c.isRecord());

        static final DescribedPredicate<JavaClass> PORT_MATERIAL = describe(
                "an interface, a record, an enum or an exception",
                c -> c.isInterface() || c.isRecord() || c.isEnum() || c.isAssignableTo(Throwable.class)
                        // the body of an enum constant compiles to an anonymous subclass of the enum
                        || c.isAnonymousClass() && c.getRawSuperclass().map(JavaClass::isEnum).orElse(false));
    }

    private static DescribedPredicate<JavaClass> belongToAnyOfNames(List<String> names) {
        return describe("belong to any of " + names, c -> names.contains(c.getName())
                || c.getEnclosingClass().map(e -> names.contains(e.getName())).orElse(false));
    }

    private static boolean isAssignableToAny(JavaClass c, Class<?>... types) {
        for (Class<?> type : types) {
            if (c.isAssignableTo(type)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithAny(String name, String... suffixes) {
        for (String suffix : suffixes) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
