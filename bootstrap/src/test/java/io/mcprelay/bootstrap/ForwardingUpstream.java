package io.mcprelay.bootstrap;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.helidon.webserver.http.ServerResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A counting pass-through between mcp-relay and a real upstream (server-everything): every POST and
 * DELETE is recorded and forwarded, so a test can prove what reached the upstream and what did not.
 * GETs get 405 (no standalone stream), so only what a test sends is forwarded.
 *
 * <p>With {@link #answeringJson}, an event-stream answer is turned into the JSON answer a server
 * with JSON responses would give: the event carrying the response becomes the body. That puts the
 * reference server's real results on the relay's JSON path.
 */
final class ForwardingUpstream implements AutoCloseable {

    private static final Pattern RESPONSE = Pattern.compile("\"(result|error)\"\\s*:");

    private final StubUpstream stub;
    private final AtomicInteger jsonAnswers = new AtomicInteger();

    private ForwardingUpstream(URI target, boolean asJson) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.stub = StubUpstream.start((request, response) -> forward(http, target, asJson, request, response));
    }

    /** Passes everything through as the upstream answers it. */
    static ForwardingUpstream passingThrough(URI target) {
        return new ForwardingUpstream(target, false);
    }

    /** Passes everything through, answering requests with JSON instead of an event stream. */
    static ForwardingUpstream answeringJson(URI target) {
        return new ForwardingUpstream(target, true);
    }

    URI endpoint() {
        return stub.endpoint();
    }

    /** The bodies of the POSTs forwarded so far, in order. */
    List<String> posted() {
        return stub.mcpRequests().stream().filter(r -> r.method().equals("POST")).map(StubUpstream.Recorded::body).toList();
    }

    /** How many {@code tools/call}s of {@code tool} reached the upstream. */
    long callsOf(String tool) {
        Pattern call = Pattern.compile("\"method\"\\s*:\\s*\"tools/call\".*\"name\"\\s*:\\s*\"" + Pattern.quote(tool) + "\"", Pattern.DOTALL);
        return posted().stream().filter(body -> call.matcher(body).find()).count();
    }

    /** How many answers were turned from an event stream into JSON. */
    int jsonAnswers() {
        return jsonAnswers.get();
    }

    private void forward(HttpClient http, URI target, boolean asJson, StubUpstream.Recorded request, ServerResponse response) throws Exception {
        if (request.method().equals("GET")) {
            response.status(Status.METHOD_NOT_ALLOWED_405).send();
            return;
        }
        HttpRequest.Builder out = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .method(request.method(), request.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(request.body()));
        for (String name : List.of("content-type", "accept", "mcp-session-id", "mcp-protocol-version")) {
            if (request.header(name) != null) {
                out.header(name, request.header(name));
            }
        }
        HttpResponse<InputStream> answer = http.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.status(Status.create(answer.statusCode()));
        answer.headers().firstValue("mcp-session-id").ifPresent(v -> response.header(HeaderNames.create("Mcp-Session-Id"), v));
        String type = answer.headers().firstValue("content-type").orElse("");
        try (InputStream body = answer.body()) {
            if (asJson && type.startsWith("text/event-stream")) {
                String json = responseEventOf(new String(body.readAllBytes(), StandardCharsets.UTF_8));
                jsonAnswers.incrementAndGet();
                response.header(HeaderNames.CONTENT_TYPE, "application/json");
                response.send(json.getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!type.isEmpty()) {
                response.header(HeaderNames.CONTENT_TYPE, type);
            }
            try (OutputStream to = response.outputStream()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            }
        }
    }

    /** The data of the event that carries a response, from a whole (ended) event stream. */
    private static String responseEventOf(String stream) {
        for (String event : stream.split("\r?\n\r?\n")) {
            List<String> data = new ArrayList<>();
            for (String line : event.split("\r?\n")) {
                if (line.startsWith("data:")) {
                    data.add(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
            }
            String joined = String.join("\n", data);
            if (RESPONSE.matcher(joined).find()) {
                return joined;
            }
        }
        throw new IllegalStateException("the upstream's stream carried no response: " + stream);
    }

    @Override
    public void close() {
        stub.close();
    }
}
