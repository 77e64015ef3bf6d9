package io.mcprelay.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the relay under load as markdown: the share of CPU samples spent in
 * each step of a request or a stream (inclusive: a sample counts for a step when the step is on its
 * stack), the methods that are on top of the stack most often, where the garbage comes from, and
 * what the collector and the JIT cost over the recording.
 *
 * <p>{@code bench.ProfileSummary recording.jfr}.
 */
public final class ProfileSummary {

    /** Steps of the relay's hot paths, by the frame ({@code SimpleClass.method}, or a class) that marks them. */
    private static final Map<String, String> STEPS = stepNames();

    private ProfileSummary() {
    }

    private static Map<String, String> stepNames() {
        Map<String, String> steps = new LinkedHashMap<>();
        steps.put("Http1Connection.handle", "Helidon server: the connection (parse request, route, write response)");
        steps.put("McpHttpEndpoint.post", "relay: the POST handler (everything below)");
        steps.put("RequestBodies.read", "relay: read the client's body");
        steps.put("JacksonMessageCodecAdapter.decode", "relay: decode and classify JSON-RPC");
        steps.put("SessionGate.enter", "relay: find and touch the session");
        steps.put("SocketUpstreamAdapter.exchange", "relay: upstream exchange (pooled connection, send, read the answer)");
        steps.put("UpstreamConnection.send", "relay: write the request upstream");
        steps.put("ResponseHeadReader.read", "relay: read the upstream's response head");
        steps.put("SocketUpstreamAdapter.classify", "relay: read the upstream's JSON answer");
        steps.put("HelidonUpstreamAdapter.exchange", "relay: upstream exchange (Helidon WebClient, connect, send, read head)");
        steps.put("HelidonUpstreamAdapter.readAtMost", "relay: read the upstream's JSON answer (Helidon WebClient)");
        steps.put("HelidonDownstream.json", "relay: write the JSON answer");
        steps.put("HelidonDownstream.openEventStream", "relay: open the client's event stream");
        steps.put("MicrometerMetricsAdapter", "relay: metrics (Micrometer)");
        steps.put("StreamPump.relayOne", "relay: one SSE event (log, write, flush)");
        steps.put("SseParser.next", "relay: read and parse the upstream's SSE");
        steps.put("InMemoryEventLogAdapter.append", "relay: append to the replay log (memory)");
        steps.put("RedisEventLogAdapter.append", "relay: append to the replay log (Redis)");
        steps.put("HelidonEventStream.emit", "relay: format, write and flush an event downstream");
        steps.put("StreamSupervisor", "relay: stream supervisor (heartbeats, lease, grace)");
        return steps;
    }

    public static void main(String[] args) throws IOException {
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
        int samples = 0;
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Long> allocation = new HashMap<>();
        long allocated = 0;
        Duration gcPauses = Duration.ZERO;
        int collections = 0;
        Duration compiling = Duration.ZERO;
        Instant first = null;
        Instant last = null;
        for (RecordedEvent event : events) {
            first = first == null || event.getStartTime().isBefore(first) ? event.getStartTime() : first;
            last = last == null || event.getEndTime().isAfter(last) ? event.getEndTime() : last;
            switch (event.getEventType().getName()) {
                case "jdk.ExecutionSample" -> {
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack == null || stack.getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    self.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame frame : stack.getFrames()) {
                        String method = simpleName(frame);
                        String type = method.substring(0, method.indexOf('.'));
                        for (String step : STEPS.keySet()) {
                            if ((step.equals(method) || step.equals(type)) && seen.add(step)) {
                                inclusive.merge(step, 1, Integer::sum);
                            }
                        }
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    long weight = event.getLong("weight");
                    allocated += weight;
                    allocation.merge(allocationSite(event.getStackTrace()), weight, Long::sum);
                }
                case "jdk.GarbageCollection" -> {
                    gcPauses = gcPauses.plus(event.getDuration("sumOfPauses"));
                    collections++;
                }
                case "jdk.Compilation" -> compiling = compiling.plus(event.getDuration());
                default -> {
                    // other events are not summarised
                }
            }
        }
        Duration wall = first == null ? Duration.ZERO : Duration.between(first, last);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Recording %.1f s, %d CPU samples of Java code; %d collections pausing %d ms in all (%.1f%% of the time); JIT compilations %d ms.%n%n",
                wall.toMillis() / 1000.0, samples, collections, gcPauses.toMillis(), percent(gcPauses.toMillis(), wall.toMillis()), compiling.toMillis()));
        out.append("| step (inclusive) | share of samples |\n|---|---:|\n");
        for (Map.Entry<String, String> step : STEPS.entrySet()) {
            int n = inclusive.getOrDefault(step.getKey(), 0);
            if (n > 0) {
                out.append("| ").append(step.getValue()).append(" | ").append(String.format(Locale.ROOT, "%.1f%%", percent(n, samples))).append(" |\n");
            }
        }
        out.append("\n| top of stack (self) | share of samples |\n|---|---:|\n");
        int finalSamples = samples;
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .forEach(e -> out.append("| `").append(e.getKey()).append("` | ")
                        .append(String.format(Locale.ROOT, "%.1f%%", percent(e.getValue(), finalSamples))).append(" |\n"));
        out.append("\n| allocation site (first relay frame, else the allocating frame) | share of sampled bytes |\n|---|---:|\n");
        long finalAllocated = allocated;
        allocation.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .forEach(e -> out.append("| `").append(e.getKey()).append("` | ")
                        .append(String.format(Locale.ROOT, "%.1f%%", percent(e.getValue(), finalAllocated))).append(" |\n"));
        System.out.println(out);
    }

    private static String allocationSite(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "(no stack)";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.getMethod().getType().getName().startsWith("io.mcprelay.")) {
                return simpleName(frame) + " ← " + name(stack.getFrames().get(0));
            }
        }
        return name(stack.getFrames().get(0));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String simpleName(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        String simple = type.substring(type.lastIndexOf('.') + 1);
        int nested = simple.indexOf('$');
        return (nested < 0 ? simple : simple.substring(0, nested)) + "." + frame.getMethod().getName();
    }

    private static double percent(double part, double whole) {
        return whole == 0 ? 0 : part * 100.0 / whole;
    }
}
