package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.out.HelidonUpstreamAdapter;
import io.mcprelay.adapter.http.out.HelidonUpstreamProbeAdapter;
import io.mcprelay.adapter.http.out.HttpUpstreamAdapter;
import io.mcprelay.adapter.http.out.SocketUpstreamAdapter;
import io.mcprelay.adapter.http.out.SocketUpstreamProbeAdapter;
import io.mcprelay.adapter.http.out.UpstreamClientConfig;
import io.mcprelay.application.port.out.UpstreamProbePort;

/**
 * The HTTP adapter of the upstream port, the health probe on the same client (so that probes see
 * an upstream as the exchanges do), and how to close its idle connections. A type of its own so
 * that the client option ({@code --upstream-client}) picks the adapter and its probe together, in
 * one place, and the composition root can close the client on every way a start fails.
 */
record UpstreamClient(HttpUpstreamAdapter port, UpstreamProbePort probe, Runnable close) {

    static UpstreamClient of(UpstreamOptions.Client kind, UpstreamClientConfig config) {
        HttpUpstreamAdapter adapter = switch (kind) {
            case SOCKET -> new SocketUpstreamAdapter(config);
            case HELIDON -> new HelidonUpstreamAdapter(config);
        };
        UpstreamProbePort probe = switch (kind) {
            case SOCKET -> new SocketUpstreamProbeAdapter();
            case HELIDON -> new HelidonUpstreamProbeAdapter();
        };
        return new UpstreamClient(adapter, probe, adapter::close);
    }
}
