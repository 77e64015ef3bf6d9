package io.mcprelay.bootstrap;

import io.mcprelay.domain.stream.EventId;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A raw SSE client for tests: opens a request, then reads events one at a time, and can drop the connection. */
final class SseTestClient implements AutoCloseable {

    /** One event as received: its id (if any) and data. */
    record Event(Optional<String> id, String data) {
    }

    private static final Pattern PROGRESS = Pattern.compile("\"progress\":(\\d+)");

    private final HttpResponse<InputStream> response;
    private final SseEventReader reader;

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new SseEventReader(response.body());
    }

    static SseTestClient post(HttpClient http, URI endpoint, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return new SseTestClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    static SseTestClient get(HttpClient http, URI endpoint, String session, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Accept", "text/event-stream").header("Mcp-Session-Id", session).GET();
        headers.forEach(request::header);
        return new SseTestClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return response.statusCode();
    }

    Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    /** The next event, skipping comments; empty at the end of the stream. */
    Optional<Event> next() throws IOException {
        return reader.next().map(event -> new Event(Optional.ofNullable(event.id()), event.data()));
    }

    /** Every remaining event, up to the end of the stream. */
    List<Event> drain() throws IOException {
        List<Event> events = new ArrayList<>();
        Optional<Event> next;
        while ((next = next()).isPresent()) {
            events.add(next.get());
        }
        return events;
    }

    /** The {@code progress} values of the progress notifications among {@code events}, in order. */
    static List<Integer> progressOf(List<Event> events) {
        List<Integer> values = new ArrayList<>();
        for (Event event : events) {
            Matcher m = PROGRESS.matcher(event.data());
            if (m.find()) {
                values.add(Integer.parseInt(m.group(1)));
            }
        }
        return values;
    }

    /**
     * What keeps {@code events} from being one stream's events with consecutive sequences (each
     * event once, in order, none missing): empty when they are.
     */
    static List<String> gapsInIds(List<Event> events) {
        List<String> gaps = new ArrayList<>();
        EventId previous = null;
        for (Event event : events) {
            Optional<EventId> id = event.id().flatMap(EventId::parse);
            if (id.isEmpty()) {
                gaps.add("an event without one of our ids: " + event);
                continue;
            }
            if (previous != null && !(id.get().stream().equals(previous.stream()) && id.get().sequence() == previous.sequence() + 1)) {
                gaps.add(id.get().text() + " follows " + previous.text());
            }
            previous = id.get();
        }
        return gaps;
    }

    /** The whole remaining body as text (for error answers). */
    String rest() throws IOException {
        return reader.rest();
    }

    /** Drops the connection, as a client whose network went away. */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // dropping is the point
        }
    }
}
