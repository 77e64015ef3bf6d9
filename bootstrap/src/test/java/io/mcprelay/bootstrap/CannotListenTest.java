package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A listener that cannot bind is named with its address and cause, before or after Helidon tried. */
class CannotListenTest {

    @Test
    void aTakenPortIsNamedWithItsCauseAndPortZeroIsNeverTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CannotListen e = catchThrowableOfType(CannotListen.class, () -> CannotListen.check("127.0.0.1", taken.getLocalPort()));

            assertThat(e).hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
        }
        assertThatCode(() -> CannotListen.check("127.0.0.1", 0)).doesNotThrowAnyException();
    }

    @Test
    void anAddressThatIsNotLocalOrNotKnownIsNamedToo() {
        CannotListen unknown = catchThrowableOfType(CannotListen.class, () -> CannotListen.check("no-such-host.invalid", 8080));
        CannotListen notLocal = catchThrowableOfType(CannotListen.class, () -> CannotListen.check("::ffff:192.0.2.1", 8080));

        assertThat(unknown).hasMessage("cannot listen on no-such-host.invalid:8080: unknown host");
        assertThat(notLocal).hasMessageStartingWith("cannot listen on [::ffff:192.0.2.1]:8080: ");
    }

    @Test
    void anAdminPortTakenAfterTheCheckStopsTheServerStartedBeforeIt() throws Exception {
        try (StubUpstream upstream = MiniMcpUpstream.start(); ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint()))
                    .withAdmin(new AdminOptions(Optional.of(taken.getLocalPort()), "127.0.0.1", Optional.empty()));

            CannotListen e = catchThrowableOfType(CannotListen.class, () -> McpRelayServer.start(options));

            assertThat(e).hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
        }
    }
}
