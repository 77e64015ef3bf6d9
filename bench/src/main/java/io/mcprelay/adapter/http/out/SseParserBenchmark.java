package io.mcprelay.adapter.http.out;

import io.mcprelay.domain.stream.SseEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The upstream side of the SSE hot path: parsing {@value #EVENTS} typical MCP progress events (id and
 * one data line of JSON-RPC) from one buffer. Score per operation; divide by {@value #EVENTS} for one event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseParserBenchmark {

    static final int EVENTS = 100;

    private byte[] stream;

    @Setup
    public void setUp() {
        StringBuilder text = new StringBuilder();
        for (int k = 1; k <= EVENTS; k++) {
            text.append("id: ").append(k).append("\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",")
                    .append("\"params\":{\"progressToken\":42,\"progress\":").append(k).append(",\"message\":\"working on it\"}}\n\n");
        }
        stream = text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public void parse100Events(Blackhole sink) throws IOException {
        SseParser parser = new SseParser(new ByteArrayInputStream(stream), 16 << 20);
        Optional<SseEvent> event;
        while ((event = parser.next()).isPresent()) {
            sink.consume(event.get());
        }
    }
}
