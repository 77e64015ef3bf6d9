package io.mcprelay.adapter.http.out;

import io.mcprelay.application.port.out.UpstreamPort;
import io.mcprelay.application.port.out.UpstreamRequest;
import io.mcprelay.application.port.out.UpstreamResponse;
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
    record Tested(UpstreamPort port, ToIntFunction<String> permits, ToIntFunction<String> streamPermits, Runnable closer) implements UpstreamPort, AutoCloseable {

        @Override
        public UpstreamResponse exchange(UpstreamRequest request) {
            return port.exchange(request);
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
