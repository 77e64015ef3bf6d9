package io.mcprelay.adapter.http.in;

import io.mcprelay.domain.stream.SseEvent;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The downstream side of the SSE hot path: formatting one event with our id as bytes. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseWriterBenchmark {

    private final SseEvent event = new SseEvent(Optional.of("q3T0n9m2Vv0JQ1x0bqZ0_w:17"), Optional.empty(),
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":42,\"progress\":17,\"message\":\"working on it\"}}",
            Optional.empty());

    @Benchmark
    public byte[] writeEvent() {
        return SseWriter.event(event);
    }

    @Benchmark
    public byte[] writeHeartbeat() {
        return SseWriter.comment("heartbeat");
    }
}
