package io.mcprelay.bootstrap;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Starts mcp-relay from the command line. {@code --help} lists the options. */
public final class Main {

    /** How often the configuration file is checked for changes. */
    static final Duration CONFIG_POLL = Duration.ofSeconds(2);
    /** The exit status when the relay can no longer serve: its listener died, or the JVM ran out of memory. */
    static final int EXIT_BROKEN = 3;

    private Main() {
    }

    public static void main(String[] args) {
        // java -jar without -XX:+ExitOnOutOfMemoryError (bin/mcp-relay sets it): an OutOfMemoryError that
        // ends a thread ends the process with a failure, not a half-working relay or exit 0
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof OutOfMemoryError) {
                Runtime.getRuntime().halt(EXIT_BROKEN);
            }
            System.err.println("mcp-relay: uncaught in " + thread.getName() + ": " + error);
        });
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        PrintStream out = System.out;
        Map<String, String> env = System.getenv();
        CommandLine.Arguments arguments;
        Configuration configuration;
        try {
            arguments = CommandLine.parse(args);
            configuration = Configuration.resolve(arguments, env);
        } catch (CommandLine.HelpRequested help) {
            out.print(CommandLine.USAGE);
            return;
        } catch (CommandLine.VersionRequested version) {
            out.println("mcp-relay " + BuildVersion.VERSION);
            return;
        } catch (ConfigException e) {
            System.err.println("mcp-relay: invalid configuration:");
            e.problems().forEach(problem -> System.err.println("  " + problem));
            System.err.println("Run with --help for the options; docs/configuration.md describes the file.");
            System.exit(2);
            return;
        }
        if (arguments.printConfig()) {
            out.print(ConfigPrinter.yaml(configuration));
            out.flush();
            return;
        }
        useJsonLogsIfAsked(configuration.logFormat());
        EnvironmentNames.warning(env).ifPresent(warning -> System.getLogger(Main.class.getName()).log(System.Logger.Level.WARNING, warning));
        RelayOptions options = configuration.options();
        McpRelayServer server;
        try {
            CannotListen.check(options.bind(), options.port());
            options.admin().port().ifPresent(port -> CannotListen.check(options.admin().bind(), port));
            server = McpRelayServer.start(options, configuration.operations(), McpRelayServer.class.getClassLoader(), () -> {
                System.err.println("mcp-relay: the listener died (see the log above); exiting");
                System.exit(EXIT_BROKEN);
            });
        } catch (CannotListen e) {
            System.err.println("mcp-relay: " + e.getMessage());
            System.exit(CannotListen.EXIT_CODE);
            return;
        } catch (RuntimeException e) {
            System.err.println("mcp-relay: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "mcp-relay-shutdown"));
        McpRelayServer running = server;
        new GracefulStop(() -> running.drain(configuration.operations().drainTimeout()), () -> System.exit(0)).install();
        Optional<Path> file = Configuration.fileOf(arguments, env);
        file.ifPresent(path -> {
            ConfigReloader reloader = server.reloadFrom(path, () -> Configuration.resolve(arguments, env), configuration, CONFIG_POLL);
            HangupSignal.onHangup(() -> reloader.requestReload("SIGHUP"));
        });
        // each line is formatted first and printed whole: System.out flushes every piece printf hands it, and
        // a log record on stderr (the same pipe under a supervisor) could land in the middle of the line
        file.ifPresent(path -> out.print("mcp-relay configuration: %s (reloaded when it changes, or on SIGHUP)%n".formatted(path)));
        out.print("mcp-relay ready: http://%s:%d/mcp -> %s%n".formatted(hostForUrl(options.bind()), server.port(),
                String.join(", ", options.upstreams().stream().map(u -> u.name() + "=" + Secrets.maskAddress(u)).toList())));
        server.admin().ifPresent(admin -> out.print("mcp-relay admin: http://%s:%d/login?token=%s%n".formatted(
                hostForUrl(options.admin().bind()), admin.port(), options.admin().token().isPresent() ? "<your --admin-token>" : admin.token())));
        out.flush();
        try {
            // the relay runs until something closes it (a stop, the listener check), never just because its listener's threads ended
            server.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code json} switches the root logger to one JSON object per line; the default is one plain line per record. */
    private static void useJsonLogsIfAsked(String format) {
        if (format.equals("json")) {
            java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
            for (java.util.logging.Handler handler : root.getHandlers()) {
                handler.setFormatter(new JsonLogFormatter());
            }
        }
    }

    private static String hostForUrl(String bind) {
        return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
    }
}
