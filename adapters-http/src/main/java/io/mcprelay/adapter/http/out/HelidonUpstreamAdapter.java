package io.mcprelay.adapter.http.out;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.mcprelay.application.port.out.UpstreamPort;
import io.mcprelay.application.port.out.UpstreamRequest;
import io.mcprelay.application.port.out.UpstreamResponse;
import io.mcprelay.domain.access.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The upstream port on Helidon WebClient: sends each request once, then classifies the answer by
 * status and {@code Content-Type}. JSON answers are read whole (bounded); event streams are handed
 * over open, to be read event by event; anything else streams through.
 *
 * <p>The client has its own connection pool (not Helidon's process-wide one), explicit connect and
 * read timeouts, {@code TCP_NODELAY}, and never follows redirects.
 */
public final class HelidonUpstreamAdapter implements UpstreamPort {

    private static final String ACCEPT_BOTH = MediaTypes.JSON + ", " + MediaTypes.EVENT_STREAM;

    private final WebClient client;
    private final UpstreamClientConfig config;

    public HelidonUpstreamAdapter(UpstreamClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = WebClient.builder()
                .shareConnectionCache(false)
                .connectionCacheSize(config.connectionPoolSize())
                .followRedirects(false)
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(config.connectTimeout())
                        .readTimeout(config.readTimeout())
                        .tcpNoDelay(true)
                        .build())
                .build();
    }

    @Override
    public UpstreamResponse exchange(UpstreamRequest request) {
        HttpClientRequest call = client.method(Method.create(request.method().name()))
                .uri(request.target().endpoint())
                .followRedirects(false);
        request.headers().forEach((name, value) -> call.header(HeaderNames.create(name), value));
        if (!call.headers().contains(HeaderNames.ACCEPT)) {
            call.header(HeaderNames.ACCEPT, ACCEPT_BOTH);
        }
        request.sessionId().ifPresent(id -> call.header(HeaderNames.create("Mcp-Session-Id"), id.value()));
        HttpClientResponse response;
        try {
            response = request.method() == UpstreamRequest.Method.POST ? call.submit(request.body()) : call.request();
        } catch (RuntimeException e) {
            return UpstreamFailures.classify(request.target().name(), e);
        }
        try {
            return classify(response);
        } catch (RuntimeException e) {
            response.close();
            return UpstreamFailures.classify(request.target().name(), e);
        }
    }

    private UpstreamResponse classify(HttpClientResponse response) {
        int status = response.status().code();
        UpstreamResponse.Headers headers = headersOf(response);
        String contentType = response.headers().contentType().map(HttpMediaType::text).orElse("");
        if (status < 200 || status > 299) {
            byte[] body = readAtMost(response, config.maxErrorBodyBytes());
            response.close();
            return new UpstreamResponse.Failed(status, headers, contentType, body);
        }
        if (MediaTypes.isEventStream(contentType)) {
            return new UpstreamResponse.EventStream(status, headers, new HelidonEventSource(response, config.maxEventBytes()));
        }
        if (status == 202 || status == 204 || contentType.isEmpty() && response.headers().contentLength().orElse(0L) == 0L) {
            response.close();
            return new UpstreamResponse.Accepted(status, headers);
        }
        if (MediaTypes.isJson(contentType)) {
            byte[] body = readAtMost(response, config.maxJsonBytes() + 1);
            response.close();
            if (body.length > config.maxJsonBytes()) {
                return new UpstreamResponse.Unreachable(UpstreamResponse.Unreachable.Cause.PROTOCOL,
                        "JSON answer larger than " + config.maxJsonBytes() + " bytes");
            }
            return new UpstreamResponse.Json(status, headers, body);
        }
        return new UpstreamResponse.Passthrough(status, headers, contentType, new ClosingInputStream(response));
    }

    private static UpstreamResponse.Headers headersOf(HttpClientResponse response) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Header header : response.headers()) {
            values.put(header.name(), String.join(", ", header.allValues()));
        }
        return new UpstreamResponse.Headers(values);
    }

    private static byte[] readAtMost(HttpClientResponse response, int max) {
        try (InputStream in = response.inputStream()) {
            return in.readNBytes(max);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of a pass-through answer; closing it releases the upstream response. */
    private static final class ClosingInputStream extends InputStream {
        private final HttpClientResponse response;
        private final InputStream in;

        ClosingInputStream(HttpClientResponse response) {
            this.response = response;
            this.in = response.inputStream();
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() {
            response.close();
        }
    }

}
