package io.mcprelay.application.service;

import io.mcprelay.application.port.out.UpstreamPort;

/** An upstream stream that has already ended: what a stream continues from when its upstream cannot resume it. */
final class EndedSource implements UpstreamPort.EventSource {

    @Override
    public UpstreamPort.Read next() {
        return new UpstreamPort.Read.End();
    }

    @Override
    public void close() {
        // nothing is held
    }
}
