package io.mcprelay.adapter.http.out;

/** The hostile answers on {@link SocketUpstreamAdapter}, which skips HTTP/1.1 interim answers. */
class SocketUpstreamHostileAnswersTest extends UpstreamHostileAnswersContract {
    SocketUpstreamHostileAnswersTest() {
        super(UpstreamClients.SOCKETS, true);
    }
}
