package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.port.out.UpstreamProbePort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.TransportEcho;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.routing.TransportKind;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamsByTransportTest {

    private static final UpstreamTarget WEB = new UpstreamTarget("web", URI.create("http://localhost:1/mcp"));
    private static final UpstreamTarget FILES = new UpstreamTarget("files", new UpstreamTransport.Stdio("server-files", List.of("/tmp")));

    @Test
    void eachCallGoesToTheAdapterOfItsTargetsTransport() {
        Recording http = new Recording("http");
        Recording stdio = new Recording("stdio");
        UpstreamsByTransport port = new UpstreamsByTransport(Map.of(TransportKind.HTTP, http, TransportKind.STDIO, stdio));

        port.send(call(WEB));
        port.listen(UpstreamSession.opening(FILES, ClientContext.NONE));
        port.resume(UpstreamSession.opening(WEB, ClientContext.NONE), "c1", UpstreamPort.Budget.REQUEST);
        port.end(UpstreamSession.opening(FILES, ClientContext.NONE));

        assertThat(http.seen).containsExactly("send web", "resume web");
        assertThat(stdio.seen).containsExactly("listen files", "end files");
    }

    @Test
    void aTransportWithoutAdapterIsRefusedAtStartUpWithItsName() {
        UpstreamsByTransport port = new UpstreamsByTransport(Map.of(TransportKind.HTTP, new Recording("http")));

        port.requireAdapters(List.of(WEB));
        assertThatThrownBy(() -> port.requireAdapters(List.of(WEB, FILES)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upstream files (stdio:server-files /tmp) uses the stdio transport, but this relay has no adapter for it (it has: [http])");
    }

    @Test
    void aTargetThatAppearsLaterWithoutAdapterIsUnreachableNotAnException() {
        UpstreamsByTransport port = new UpstreamsByTransport(Map.of(TransportKind.HTTP, new Recording("http")));

        UpstreamReply reply = port.send(call(FILES));

        assertThat(reply).isEqualTo(new UpstreamReply.Unreachable(UpstreamReply.Unreachable.Cause.CONNECT,
                "no adapter for the stdio transport of upstream files"));
        assertThat(port.adapterFor(TransportKind.STDIO)).isEmpty();
    }

    @Test
    void everyOperationOnATargetWithoutAdapterIsUnreachable() {
        UpstreamsByTransport port = new UpstreamsByTransport(Map.of(TransportKind.HTTP, new Recording("http")));
        UpstreamSession files = UpstreamSession.opening(FILES, ClientContext.NONE);

        assertThat(List.of(port.listen(files), port.resume(files, "c", UpstreamPort.Budget.STREAM), port.end(files)))
                .allSatisfy(reply -> assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Unreachable.class,
                        u -> assertThat(u.cause()).isEqualTo(UpstreamReply.Unreachable.Cause.CONNECT)));
        assertThat(port.adapterFor(TransportKind.HTTP)).isPresent();
        assertThatThrownBy(() -> new UpstreamsByTransport(Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void probesFollowTheTargetsTransport() {
        UpstreamProbePort http = (target, timeout) -> new UpstreamProbePort.Result(true, "http " + target.name());
        ProbesByTransport probes = new ProbesByTransport(Map.of(TransportKind.HTTP, http));

        assertThat(probes.probe(WEB, Duration.ofSeconds(1))).isEqualTo(new UpstreamProbePort.Result(true, "http web"));
        assertThat(probes.probe(FILES, Duration.ofSeconds(1)))
                .isEqualTo(new UpstreamProbePort.Result(false, "no health probe for the stdio transport"));
    }

    private static UpstreamCall call(UpstreamTarget target) {
        JsonRpcPayload payload = new JsonRpcPayload.Single(new JsonRpcMessage.Notification("notifications/initialized",
                io.mcprelay.domain.jsonrpc.McpFacts.NONE));
        return new UpstreamCall(UpstreamSession.opening(target, ClientContext.NONE), payload, new byte[0]);
    }

    private static final class Recording implements UpstreamPort {
        final List<String> seen = new ArrayList<>();
        final String name;

        Recording(String name) {
            this.name = name;
        }

        @Override
        public UpstreamReply send(UpstreamCall call) {
            seen.add("send " + call.session().target().name());
            return new UpstreamReply.Accepted(TransportEcho.NONE);
        }

        @Override
        public UpstreamReply listen(UpstreamSession session) {
            seen.add("listen " + session.target().name());
            return new UpstreamReply.NoStream(name);
        }

        @Override
        public UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
            seen.add("resume " + session.target().name());
            return new UpstreamReply.NoStream(name);
        }

        @Override
        public UpstreamReply end(UpstreamSession session) {
            seen.add("end " + session.target().name());
            return new UpstreamReply.Accepted(TransportEcho.NONE);
        }
    }
}
