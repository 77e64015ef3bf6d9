package io.mcprelay.adapter.http.out;

/** The per-upstream pools of {@link SocketUpstreamAdapter}. */
class SocketUpstreamPoolsTest extends UpstreamPoolsContract {
    SocketUpstreamPoolsTest() {
        super(UpstreamClients.SOCKETS);
    }
}
