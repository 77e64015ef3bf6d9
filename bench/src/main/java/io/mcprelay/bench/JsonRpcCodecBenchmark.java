package io.mcprelay.bench;

import io.mcprelay.adapter.http.json.JacksonMessageCodecAdapter;
import io.mcprelay.application.port.out.DecodedPayload;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * JSON-RPC classification as the relay does it for every POST body and every upstream event: one
 * streaming Jackson pass plus the domain's {@code JsonRpcClassifier}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonRpcCodecBenchmark {

    private final JacksonMessageCodecAdapter codec = new JacksonMessageCodecAdapter();
    private final byte[] toolsCall = ("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
            + "\"arguments\":{\"message\":\"hello\"}}}").getBytes(StandardCharsets.UTF_8);
    private final byte[] progress = ("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":42,"
            + "\"progress\":17,\"message\":\"working on it\"}}").getBytes(StandardCharsets.UTF_8);
    private final byte[] toolResult = ("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""
            + "x".repeat(1000) + "\"}],\"isError\":false}}").getBytes(StandardCharsets.UTF_8);

    @Benchmark
    public DecodedPayload classifyToolsCall() {
        return codec.decode(toolsCall);
    }

    @Benchmark
    public DecodedPayload classifyProgressNotification() {
        return codec.decode(progress);
    }

    @Benchmark
    public DecodedPayload classifyToolResult1k() {
        return codec.decode(toolResult);
    }
}
