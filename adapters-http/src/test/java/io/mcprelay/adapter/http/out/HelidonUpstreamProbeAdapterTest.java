package io.mcprelay.adapter.http.out;

/** The probe contract on Helidon's WebClient. */
class HelidonUpstreamProbeAdapterTest extends UpstreamProbeContract {

    HelidonUpstreamProbeAdapterTest() {
        super(new HelidonUpstreamProbeAdapter());
    }
}
