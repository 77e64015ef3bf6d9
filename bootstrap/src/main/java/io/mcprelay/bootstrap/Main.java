package io.mcprelay.bootstrap;

import java.io.PrintStream;

/** Starts mcp-relay from the command line. {@code --help} lists the options. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        PrintStream out = System.out;
        useJsonLogsIfAsked(args);
        RelayOptions options;
        try {
            options = CommandLine.parse(CommandLine.withEnvironment(System.getenv(), args));
        } catch (CommandLine.HelpRequested help) {
            out.print(CommandLine.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("mcp-relay: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(2);
            return;
        }
        McpRelayServer server;
        try {
            server = McpRelayServer.start(options);
        } catch (RuntimeException e) {
            System.err.println("mcp-relay: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "mcp-relay-shutdown"));
        out.printf("mcp-relay ready: http://%s:%d/mcp -> %s%n", hostForUrl(options.bind()), server.port(),
                String.join(", ", options.upstreams().stream().map(u -> u.name() + "=" + u.endpoint()).toList()));
        server.admin().ifPresent(admin -> out.printf("mcp-relay admin: http://%s:%d/login?token=%s%n",
                hostForUrl(options.admin().bind()), admin.port(), options.admin().token().isPresent() ? "<your --admin-token>" : admin.token()));
        out.flush();
    }

    /**
     * {@code --log-format json} (or MCP_RELAY_LOG_FORMAT=json) switches the root logger to one JSON
     * object per line; the default is one plain line per record.
     */
    private static void useJsonLogsIfAsked(String[] args) {
        String format = System.getenv().getOrDefault("MCP_RELAY_LOG_FORMAT", "text");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-format") && i + 1 < args.length) {
                format = args[i + 1];
            } else if (args[i].startsWith("--log-format=")) {
                format = args[i].substring("--log-format=".length());
            }
        }
        if (format.equalsIgnoreCase("json")) {
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
