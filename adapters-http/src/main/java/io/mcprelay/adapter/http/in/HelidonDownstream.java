package io.mcprelay.adapter.http.in;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.adapter.http.HttpEcho;
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
    /** A POST's answer the drain may take over at its deadline; null when none may. */
    private final PendingAnswer pending;

    HelidonDownstream(ServerResponse response) {
        this(response, null);
    }

    /** A downstream whose first write must win {@code pending} (else the drain answered already and the write is dropped). */
    HelidonDownstream(ServerResponse response, PendingAnswer pending) {
        this.response = response;
        this.pending = pending;
    }

    /** Whether this may write the answer: always, unless the drain answered in its place at its deadline. */
    private boolean mayAnswer() {
        if (pending == null || pending.claim()) {
            return true;
        }
        LOG.log(System.Logger.Level.DEBUG, "answer dropped: the drain answered the request at its deadline");
        return false;
    }

    @Override
    public void reject(Rejection rejection) {
        if (mayAnswer()) {
            send(response, rejection);
        }
    }

    /** Writes a rejection to {@code response}: its status and a JSON-RPC error body. */
    static void send(ServerResponse response, Rejection rejection) {
        RequestRecord.current().ifPresent(record -> record.refused(rejection.reason().name().toLowerCase(java.util.Locale.ROOT)));
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
        if (!mayAnswer()) {
            return;
        }
        apply(head);
        response.status(Status.ACCEPTED_202).send();
    }

    @Override
    public void ended(Head head) {
        if (!mayAnswer()) {
            return;
        }
        apply(head);
        response.status(Status.OK_200).send();
    }

    @Override
    public void answer(Head head, byte[] message) {
        json(head, message);
    }

    @Override
    public void refused(Head head, byte[] error, boolean upstreamFault) {
        json(head, error);
    }

    /** JSON with the echoed upstream status, 200 when nothing was echoed. */
    private void json(Head head, byte[] body) {
        if (!mayAnswer()) {
            return;
        }
        apply(head);
        response.status(Status.create(statusOf(head)));
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.send(body);
    }

    @Override
    public void passthrough(Head head, String mediaType, InputStream body) {
        if (!mayAnswer()) {
            try {
                body.close();
            } catch (IOException e) {
                // dropped anyway
            }
            return;
        }
        apply(head);
        response.status(Status.create(statusOf(head)));
        response.header(HeaderNames.CONTENT_TYPE, mediaType);
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
        if (!mayAnswer()) {
            return GONE;
        }
        apply(head);
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, MediaTypes.EVENT_STREAM);
        response.header(HeaderValues.CACHE_NO_CACHE);
        response.header(ACCEL_BUFFERING, "no");
        HelidonEventStream stream = new HelidonEventStream(response.outputStream());
        RequestRecord.current().ifPresent(record -> record.stream(stream));
        stream.open();
        return stream;
    }

    /** The stream of a request the drain answered already: its client is gone as far as the pump can tell. */
    private static final Stream GONE = new Stream() {
        @Override
        public boolean emit(io.mcprelay.domain.stream.SseEvent event) {
            return false;
        }

        @Override
        public boolean comment(String text) {
            return false;
        }

        @Override
        public void close() {
        }
    };

    /** The upstream's status an HTTP upstream's answer echoes; 200 for one from elsewhere (stdio, the relay itself). */
    private static int statusOf(Head head) {
        return head.echo() instanceof HttpEcho http ? http.status() : Status.OK_200.code();
    }

    /** The upstream's response headers an HTTP upstream's answer echoes (already filtered by the header policy), and the session id. */
    private void apply(Head head) {
        if (head.echo() instanceof HttpEcho http) {
            http.headers().forEach((name, value) -> response.header(headerName(name), value));
        }
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
