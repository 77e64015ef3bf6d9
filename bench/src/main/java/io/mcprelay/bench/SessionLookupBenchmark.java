package io.mcprelay.bench;

import io.mcprelay.adapter.storage.memory.InMemorySessionStoreAdapter;
import io.mcprelay.domain.session.ClientInfo;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Session lookup in the in-memory store, as every request in a session does it: {@code touch}
 * (find and slide the TTL, what the relay calls) and plain {@code find}, among {@code sessions} sessions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SessionLookupBenchmark {

    @Param({"10000"})
    public int sessions;

    private InMemorySessionStoreAdapter store;
    private ProxySessionId[] ids;
    private int next;

    @Setup
    public void setUp() {
        store = new InMemorySessionStoreAdapter(SessionPolicy.defaults(), Instant::now, sessions * 2);
        ids = new ProxySessionId[sessions];
        Instant now = Instant.now();
        for (int i = 0; i < sessions; i++) {
            ids[i] = new ProxySessionId("bench-session-" + Integer.toString(i, 36) + "-aaaaaaaaaaaaaaaaaaaa");
            store.create(Session.opened(ids[i], "upstream-1", Optional.of(new UpstreamSessionId("up-" + i)),
                    ProtocolVersion.V2025_06_18, new ClientInfo("bench", "1"), now));
        }
    }

    @Benchmark
    public Optional<Session> touch() {
        return store.touch(ids[next++ % ids.length]);
    }

    @Benchmark
    public Optional<Session> find() {
        return store.find(ids[next++ % ids.length]);
    }
}
