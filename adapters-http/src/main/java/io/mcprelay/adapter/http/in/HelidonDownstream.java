package io.mcprelay.adapter.http.in;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.access.MediaTypes;
import io.mcprelay.domain.access.Rejection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/** The downstream port for one Helidon request: writes the use case's answer to the server response. */
final class HelidonDownstream implements DownstreamPort {

    private static final System.Logger LOG = System.getLogger(HelidonDownstream.class.getName());
    private static final HeaderName ACCEL_BUFFERING = HeaderNames.create("X-Accel-Buffering");
    /**
     * Header names of upstream answers already looked up: every answer passes a few, always the same
     * ones, and Helidon's lookup of a name (a map and a copy) was about 2% of the JSON path. Bounded:
     * names past {@value #MAX_NAMES} are looked up each time, so an upstream that invents names grows
     * nothing.
     */
    private static final ConcurrentHashMap<String, HeaderName> NAMES = new ConcurrentHashMap<>();
    private static final int MAX_NAMES = 256;
    /** {@code Retry-After} of a 429 for a session over its share: its own requests end soon, or it should slow down. */
    static final String RETRY_BUSY_AFTER_SECONDS = "1";

    private final ServerResponse response;

    HelidonDownstream(ServerResponse response) {
        this.response = response;
    }

    @Override
    public void reject(Rejection rejection) {
        send(response, rejection);
    }

    /** Writes a rejection to {@code response}: its status and a JSON-RPC error body. */
    static void send(ServerResponse response, Rejection rejection) {
        response.status(Status.create(RejectionMapper.status(rejection.reason())));
        if (rejection.reason() == io.mcprelay.domain.access.RejectionReason.STREAM_NOT_OFFERED) {
            response.header(HeaderNames.ALLOW, "POST, DELETE");
        }
        if (rejection.retryAfter().isPresent()) {
            response.header(HeaderNames.RETRY_AFTER, retryAfterSeconds(rejection.retryAfter().get()));
        } else if (rejection.reason() == io.mcprelay.domain.access.RejectionReason.SESSION_BUSY) {
            response.header(HeaderNames.RETRY_AFTER, RETRY_BUSY_AFTER_SECONDS);
        }
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.send(RejectionMapper.body(rejection).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code Retry-After} in whole seconds (RFC 9110 §10.2.3), rounded up so that a client never retries too early; at least 1. */
    static String retryAfterSeconds(java.time.Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Long.toString(Math.max(1, seconds));
    }

    @Override
    public void accepted(Head head) {
        apply(head);
        response.status(Status.ACCEPTED_202).send();
    }

    @Override
    public void empty(int status, Head head) {
        apply(head);
        response.status(Status.create(status)).send();
    }

    @Override
    public void json(int status, Head head, byte[] body) {
        apply(head);
        response.status(Status.create(status));
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.send(body);
    }

    @Override
    public void passthrough(int status, Head head, String contentType, InputStream body) {
        apply(head);
        response.status(Status.create(status));
        response.header(HeaderNames.CONTENT_TYPE, contentType);
        byte[] buffer = new byte[8192];
        try (OutputStream out = response.outputStream()) {
            int n;
            while ((n = body.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | UncheckedIOException | ServerConnectionException e) {
            LOG.log(System.Logger.Level.DEBUG, "pass-through ended early: {0}", e.getMessage());
        }
    }

    @Override
    public Stream openEventStream(Head head) {
        apply(head);
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, MediaTypes.EVENT_STREAM);
        response.header(HeaderValues.CACHE_NO_CACHE);
        response.header(ACCEL_BUFFERING, "no");
        HelidonEventStream stream = new HelidonEventStream(response.outputStream());
        stream.open();
        return stream;
    }

    private void apply(Head head) {
        head.headers().forEach((name, value) -> response.header(headerName(name), value));
        head.sessionId().ifPresent(id -> response.header(McpHttpEndpoint.SESSION_ID, id.value()));
    }

    /** Helidon's name for an upstream answer's header {@code name}, kept from earlier answers when it can be. */
    static HeaderName headerName(String name) {
        HeaderName known = NAMES.get(name);
        if (known != null) {
            return known;
        }
        HeaderName created = HeaderNames.create(name);
        if (NAMES.size() < MAX_NAMES) {
            NAMES.putIfAbsent(name, created);
        }
        return created;
    }

    /** Names kept, for tests. */
    static int keptNames() {
        return NAMES.size();
    }
}
