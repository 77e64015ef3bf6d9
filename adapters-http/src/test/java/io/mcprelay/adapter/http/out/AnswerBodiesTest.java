package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AnswerBodiesTest {

    private static final int MAX = 16 << 20;

    @Test
    void aDeclaredLengthFarOverWhatArrivesTakesNoMemoryAtItsSize() throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        byte[] body = AnswerBodies.readAtMost(new ByteArrayInputStream("{\"jsonrpc\"".getBytes()), MAX - 1, MAX + 1);

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(new String(body)).isEqualTo("{\"jsonrpc\"");
        assertThat(allocated).as("bytes allocated for a 10-byte body that declared 16 MiB").isLessThan(1 << 20);
    }

    @Test
    void aLargeBodyGrowsItsBufferAsItArrivesAndStopsAtTheLimit() throws IOException {
        byte[] sent = new byte[3 << 20];
        Arrays.fill(sent, (byte) 'x');

        assertThat(AnswerBodies.readAtMost(new ByteArrayInputStream(sent), -1, MAX)).isEqualTo(sent);
        assertThat(AnswerBodies.readAtMost(new ByteArrayInputStream(sent), sent.length, MAX)).isEqualTo(sent);
        assertThat(AnswerBodies.readAtMost(trickling(sent), sent.length, 1000)).hasSize(1000);
        assertThat(AnswerBodies.readAtMost(trickling(sent), -1, sent.length + 1)).hasSize(sent.length);
    }

    @Test
    void smallBodiesAreReadWhateverTheyDeclare() throws IOException {
        byte[] sent = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}".getBytes();

        assertThat(AnswerBodies.readAtMost(new ByteArrayInputStream(sent), sent.length, MAX)).isEqualTo(sent);
        assertThat(AnswerBodies.readAtMost(new ByteArrayInputStream(sent), 5, MAX)).as("more than declared").isEqualTo(sent);
        assertThat(AnswerBodies.readAtMost(new ByteArrayInputStream(sent), 500, MAX)).as("less than declared").isEqualTo(sent);
        assertThat(AnswerBodies.readAtMost(new ByteArrayInputStream(new byte[0]), 0, MAX)).isEmpty();
    }

    /** A stream that gives at most 1000 bytes per read, as a socket might. */
    private static InputStream trickling(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
    }
}
