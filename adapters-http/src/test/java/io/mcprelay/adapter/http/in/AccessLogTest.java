package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    private final List<AccessLogLine> logged = new CopyOnWriteArrayList<>();

    @Test
    void aLineHasTheRequestsFieldsInAFixedOrderAndLeavesOutWhatIsUnknown() {
        RequestRecord record = new RequestRecord("POST", "10.0.0.7", Optional.of("s-1"), new Drain());
        record.enter();
        RequestRecord.noteMessage("tools/call", "upstream_timeout");
        RequestRecord.noteUpstream("primary");
        record.leave();
        record.finish(504, 120, Optional.empty());

        AccessLogLine line = AccessLog.line(record);

        assertThat(line.fields().keySet()).containsExactly("client", "http_method", "rpc_method", "session", "upstream", "status", "outcome",
                "bytes", "duration_ms");
        assertThat(line.toString()).startsWith("10.0.0.7 POST tools/call 504 session=s-1 upstream=primary outcome=upstream_timeout bytes=120 ");
        RequestRecord bare = new RequestRecord("GET", "10.0.0.8", Optional.empty(), new Drain());
        bare.refused("not_acceptable");
        bare.finish(406, 10, Optional.of("from-answer"));
        assertThat(AccessLog.line(bare).toString()).startsWith("10.0.0.8 GET - 406 session=from-answer refusal=not_acceptable bytes=10");
    }

    @Test
    void notesOffTheRequestsThreadAreDropped() {
        RequestRecord record = new RequestRecord("POST", "10.0.0.7", Optional.empty(), new Drain());
        RequestRecord.noteUpstream("nowhere");
        record.finish(200, 1, Optional.empty());

        assertThat(record.upstream()).isEmpty();
    }

    @Test
    void samplesSuccessesButLogsEveryRefusalAndFailure() {
        AccessLog sampled = new AccessLog(1, logged::add);
        for (int i = 0; i < 200; i++) {
            sampled.completed(finished(200));
            sampled.completed(finished(503));
        }

        long failures = logged.stream().filter(line -> line.fields().get("status").equals(503)).count();
        long successes = logged.size() - failures;
        assertThat(failures).isEqualTo(200);
        assertThat(successes).as("about 1 %% of 200").isLessThan(20);
        assertThatThrownBy(() -> new AccessLog(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static RequestRecord finished(int status) {
        RequestRecord record = new RequestRecord("POST", "10.0.0.1", Optional.empty(), new Drain());
        record.finish(status, 1, Optional.empty());
        return record;
    }
}
