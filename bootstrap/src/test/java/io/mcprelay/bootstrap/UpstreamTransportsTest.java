package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each upstream goes to the adapter of its transport; one whose transport has none stops the start, named. */
class UpstreamTransportsTest {

    /**
     * With the stdio adapter registered, an HTTP and a stdio upstream start side by side (the refusal
     * of a transport without adapter is checked where the dispatcher lives, UpstreamsByTransportTest):
     * nothing is launched before a session's initialize, so a stdio command that does not exist yet
     * does not stop the start.
     */
    @Test
    void anHttpAndAStdioUpstreamStartSideBySide() throws Exception {
        try (StubUpstream web = MiniMcpUpstream.start()) {
            RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("web", web.endpoint()))
                    .withUpstreams(List.of(new UpstreamTarget("web", web.endpoint()),
                            new UpstreamTarget("files", new UpstreamTransport.Stdio("server-files", List.of("/tmp")))),
                            UpstreamOptions.defaults());

            try (McpRelayServer relay = McpRelayServer.start(options)) {
                assertThat(relay.port()).isPositive();
                assertThat(StdioUpstreamEndToEndIT.childProcesses("server-files")).isEmpty();
            }
        }
    }
}
