package io.mcprelay.adapter.http.out;

class SocketUpstreamPortTest extends UpstreamPortContract {

    SocketUpstreamPortTest() {
        super(UpstreamClients.SOCKETS);
    }
}
