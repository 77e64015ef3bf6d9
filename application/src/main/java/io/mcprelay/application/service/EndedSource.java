package io.mcprelay.application.service;

import io.mcprelay.application.port.out.upstream.UpstreamEvents;

/** An upstream stream that has already ended: what a stream continues from when its upstream cannot resume it. */
final class EndedSource implements UpstreamEvents {

    @Override
    public Read next() {
        return new Read.End();
    }

    @Override
    public void close() {
        // nothing is held
    }
}
