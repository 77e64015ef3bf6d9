package io.mcprelay.adapter.http.out;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.mcprelay.application.port.out.UpstreamProbePort;
import io.mcprelay.domain.access.MediaTypes;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.time.Duration;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The active health probe, safe for any MCP server: it sends
 * {@code GET <endpoint>} with {@code Accept: text/event-stream}, no {@code Mcp-Session-Id} and no
 * body, on a connection of its own ({@code Connection: close}, not taken from the exchange pools).
 *
 * <p><b>Why it is safe.</b> In Streamable HTTP a GET only asks to open a server-to-client event
 * stream; it never initializes a session, calls a tool or sends any JSON-RPC message. Without a
 * session id, servers answer 400, 404, 405 or 406 — which proves that the server is up and speaks
 * HTTP, so any answer below 500 counts as healthy. A server that does open a stream gets it closed
 * at once: the probe reads only the status line and headers, then closes the connection.
 *
 * <p><b>Unhealthy</b>: connect failure, no answer within the timeout, a 5xx answer, or an answer
 * that is not HTTP. The timeout bounds the connect and every read, and the whole probe runs on a
 * virtual thread that is interrupted (closing its socket) if it is not done shortly after the
 * timeout, so a server that dribbles its answer cannot hold the prober. Never throws.
 */
public final class HelidonUpstreamProbeAdapter implements UpstreamProbePort {

    private record Client(Duration timeout, WebClient web) {
    }

    /** The client for the last timeout used; timeouts come from one policy, so this rarely changes. */
    private final AtomicReference<Client> client = new AtomicReference<>();

    @Override
    public Result probe(UpstreamTarget target, Duration timeout) {
        return ProbeRun.run(target, timeout, endpoint -> call(endpoint, timeout));
    }

    private Result call(URI endpoint, Duration timeout) {
        // the probe's connection is its own: closed afterwards whatever happened, never reused
        return FreshConnections.closingAfter(() -> {
            try (HttpClientResponse response = clientFor(timeout).get()
                    .uri(endpoint)
                    .followRedirects(false)
                    .readTimeout(timeout)
                    .header(HeaderNames.ACCEPT, MediaTypes.EVENT_STREAM)
                    .request()) {
                return ProbeRun.ofStatus(response.status().code());
            } catch (RuntimeException e) {
                return ProbeRun.unhealthy(e);
            }
        });
    }

    private WebClient clientFor(Duration timeout) {
        Client current = client.get();
        if (current != null && current.timeout().equals(timeout)) {
            return current.web();
        }
        Client fresh = new Client(timeout, WebClient.builder()
                .shareConnectionCache(false)
                .keepAlive(false)
                .followRedirects(false)
                .connectionListener(FreshConnections.LISTENER)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(timeout)
                        .readTimeout(timeout)
                        .tcpNoDelay(true)
                        .build())
                .build());
        client.set(fresh);
        return fresh.web();
    }
}
