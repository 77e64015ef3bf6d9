package io.mcprelay.adapter.http.out;

/** The fault catalogue on {@link SocketUpstreamAdapter}. */
class SocketUpstreamFaultsTest extends UpstreamFaultsContract {
    SocketUpstreamFaultsTest() {
        super(UpstreamClients.SOCKETS);
    }
}
