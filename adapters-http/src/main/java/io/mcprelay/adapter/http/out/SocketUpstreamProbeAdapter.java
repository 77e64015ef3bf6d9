package io.mcprelay.adapter.http.out;

import io.mcprelay.application.port.out.UpstreamProbePort;
import io.mcprelay.domain.access.MediaTypes;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The active health probe on the relay's own HTTP/1.1 client, for when that client carries the
 * upstream traffic (the default): the same request and verdict as {@link HelidonUpstreamProbeAdapter},
 * so that a probe sees the upstream as the exchanges do (the same TLS trust, the same parser). It
 * sends {@code GET <endpoint>} with {@code Accept: text/event-stream}, no {@code Mcp-Session-Id} and
 * no body, on a connection of its own that is closed once the status line and headers are read.
 * Any final status below 500 is healthy (servers answer a GET without a session 400, 404, 405 or
 * 406, which proves they are up); a connect failure, a timeout, 5xx or no HTTP is not. Never throws.
 */
public final class SocketUpstreamProbeAdapter implements UpstreamProbePort {

    private final SSLContext tls;

    /** With the JVM's default TLS context for https upstreams. */
    public SocketUpstreamProbeAdapter() {
        this(null);
    }

    /** @param tls the TLS context for https upstreams, as the exchanges' client has it */
    public SocketUpstreamProbeAdapter(SSLContext tls) {
        this.tls = tls;
    }

    @Override
    public Result probe(UpstreamTarget target, Duration timeout) {
        return ProbeRun.run(target, timeout, endpoint -> call(target, endpoint, timeout));
    }

    private Result call(UpstreamTarget target, URI endpoint, Duration timeout) throws Exception {
        UpstreamClientConfig config = UpstreamClientConfig.defaults().withTimeouts(timeout, timeout);
        Endpoint where = Endpoint.of(endpoint);
        RequestEncoder.Encoded request = RequestEncoder.encode(where, new HttpRequest(target, HttpRequest.Method.GET,
                Map.of("Accept", MediaTypes.EVENT_STREAM), Optional.empty(), new byte[0]));
        UpstreamConnection connection = new SocketConnector(config, tls).connect(where);
        try {
            connection.send(request.bytes(), request.length());
            return ProbeRun.ofStatus(ResponseHeadReader.read(connection, timeout).status());
        } finally {
            connection.close();
        }
    }
}
