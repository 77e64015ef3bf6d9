package io.mcprelay.bootstrap;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Plain HTTP to a relay's {@code /mcp} with a bearer token (or none), for the requests an SDK client
 * would never send: another principal's session id, a hostile token, a token of a megabyte.
 */
final class BearerClient {

    static final String PROTOCOL = "2025-06-18";
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
            + PROTOCOL + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bearer-client\",\"version\":\"1\"}}}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;

    BearerClient(int port) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/mcp");
    }

    /** Opens a session as the holder of {@code token}; its id. */
    String initialize(String token) throws Exception {
        HttpResponse<String> init = post(Optional.of(token), Optional.empty(), INITIALIZE);
        if (init.statusCode() != 200) {
            throw new AssertionError("initialize answered " + init.statusCode() + ": " + init.body());
        }
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> initialized = post(Optional.of(token), Optional.of(session),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        if (initialized.statusCode() != 202) {
            throw new AssertionError("notifications/initialized answered " + initialized.statusCode());
        }
        return session;
    }

    HttpResponse<String> initializeResponse(Optional<String> token) throws IOException, InterruptedException {
        return post(token, Optional.empty(), INITIALIZE);
    }

    HttpResponse<String> toolsList(Optional<String> token, String session) throws IOException, InterruptedException {
        return post(token, Optional.of(session), "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
    }

    HttpResponse<String> post(Optional<String> token, Optional<String> session, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = base(token, session).header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET stream request (a resumption when {@code lastEventId} is given); the head only, the body discarded. */
    HttpResponse<Void> get(Optional<String> token, String session, Optional<String> lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = base(token, Optional.of(session)).header("Accept", "text/event-stream").GET();
        lastEventId.ifPresent(id -> request.header("Last-Event-ID", id));
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    HttpResponse<String> getForBody(Optional<String> token, String session, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = base(token, Optional.of(session)).header("Accept", "text/event-stream")
                .header("Last-Event-ID", lastEventId).GET();
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(Optional<String> token, String session) throws IOException, InterruptedException {
        return http.send(base(token, Optional.of(session)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder base(Optional<String> token, Optional<String> session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("MCP-Protocol-Version", PROTOCOL);
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        session.ifPresent(s -> request.header("Mcp-Session-Id", s));
        return request;
    }
}
