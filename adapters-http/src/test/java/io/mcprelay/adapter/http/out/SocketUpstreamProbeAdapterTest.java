package io.mcprelay.adapter.http.out;

/** The probe contract on the relay's own HTTP/1.1 client. */
class SocketUpstreamProbeAdapterTest extends UpstreamProbeContract {

    SocketUpstreamProbeAdapterTest() {
        super(new SocketUpstreamProbeAdapter());
    }
}
