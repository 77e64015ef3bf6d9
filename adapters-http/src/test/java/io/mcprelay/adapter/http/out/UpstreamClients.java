package io.mcprelay.adapter.http.out;

import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import java.util.function.ToIntFunction;

/**
 * The upstream adapters that must behave alike: the contract tests ({@code UpstreamAdapterContract},
 * {@code UpstreamFaultsContract}, {@code UpstreamPoolsContract}) run once on each.
 */
enum UpstreamClients {
    HELIDON {
        @Override
        Tested create(UpstreamClientConfig config) {
            HelidonUpstreamAdapter adapter = new HelidonUpstreamAdapter(config);
            return new Tested(adapter, adapter::availablePermits, adapter::availableStreamPermits, adapter::close);
        }
    },
    SOCKETS {
        @Override
        Tested create(UpstreamClientConfig config) {
            SocketUpstreamAdapter adapter = new SocketUpstreamAdapter(config);
            return new Tested(adapter, adapter::availablePermits, adapter::availableStreamPermits, adapter::close);
        }
    };

    abstract Tested create(UpstreamClientConfig config);

    /** An adapter under test, with the free places of an upstream's pool that both adapters report. */
    record Tested(HttpUpstreamAdapter port, ToIntFunction<String> permits, ToIntFunction<String> streamPermits, Runnable closer)
            implements UpstreamPort, AutoCloseable {

        /** One HTTP exchange, below the port: what the HTTP-level contracts check. */
        HttpAnswer exchange(HttpRequest request) {
            return port.exchange(request);
        }

        @Override
        public UpstreamReply send(UpstreamCall call) {
            return port.send(call);
        }

        @Override
        public UpstreamReply listen(UpstreamSession session) {
            return port.listen(session);
        }

        @Override
        public UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
            return port.resume(session, cursor, budget);
        }

        @Override
        public UpstreamReply end(UpstreamSession session) {
            return port.end(session);
        }

        int availablePermits(String upstream) {
            return permits.applyAsInt(upstream);
        }

        int availableStreamPermits(String upstream) {
            return streamPermits.applyAsInt(upstream);
        }

        @Override
        public void close() {
            closer.run();
        }
    }
}
