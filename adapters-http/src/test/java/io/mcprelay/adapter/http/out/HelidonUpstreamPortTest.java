package io.mcprelay.adapter.http.out;

class HelidonUpstreamPortTest extends UpstreamPortContract {

    HelidonUpstreamPortTest() {
        super(UpstreamClients.HELIDON);
    }
}
