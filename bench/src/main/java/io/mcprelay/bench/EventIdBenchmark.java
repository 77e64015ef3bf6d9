package io.mcprelay.bench;

import io.mcprelay.domain.stream.EventId;
import io.mcprelay.domain.stream.StreamId;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Event ids: encoded once per relayed event, decoded once per resumption ({@code Last-Event-ID}). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventIdBenchmark {

    private final EventId id = new EventId(new StreamId("q3T0n9m2Vv0JQ1x0bqZ0_w"), 123_456);
    private final String text = id.text();

    @Benchmark
    public String encode() {
        return id.text();
    }

    @Benchmark
    public Optional<EventId> decode() {
        return EventId.parse(text);
    }
}
