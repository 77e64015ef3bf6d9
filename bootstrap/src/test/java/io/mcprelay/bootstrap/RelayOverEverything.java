package io.mcprelay.bootstrap;

import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The end-to-end tests' usual set-up, as a JUnit extension registered on a static field: one real
 * server-everything and one relay in front of it (upstream {@code everything}), started before the
 * class's tests and stopped after them.
 */
final class RelayOverEverything implements BeforeAllCallback, AfterAllCallback {

    private final UnaryOperator<RelayOptions> options;
    private ServerEverything upstream;
    private McpRelayServer relay;

    /** With the relay's default options. */
    RelayOverEverything() {
        this(UnaryOperator.identity());
    }

    /** With the relay's default options changed by {@code options}. */
    RelayOverEverything(UnaryOperator<RelayOptions> options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        upstream = ServerEverything.start();
        relay = McpRelayServer.start(options.apply(RelayOptions.forUpstream(new UpstreamTarget("everything", upstream.mcpEndpoint()))));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (relay != null) {
            relay.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    McpRelayServer relay() {
        return relay;
    }

    ServerEverything upstream() {
        return upstream;
    }
}
