package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each upstream goes to the adapter of its transport; one whose transport has none stops the start, named. */
class UpstreamTransportsTest {

    @Test
    void anUpstreamWhoseTransportHasNoAdapterIsAClearStartUpError() throws Exception {
        try (StubUpstream web = MiniMcpUpstream.start()) {
            RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("web", web.endpoint()))
                    .withUpstreams(List.of(new UpstreamTarget("web", web.endpoint()),
                            new UpstreamTarget("files", new UpstreamTransport.Stdio("server-files", List.of("/tmp")))),
                            UpstreamOptions.defaults());

            assertThatThrownBy(() -> McpRelayServer.start(options))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("upstream files (stdio:server-files /tmp) uses the stdio transport, but this relay has no adapter for it"
                            + " (it has: [http])");
        }
    }
}
