package io.mcprelay.adapter.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineWriterTest {

    @Test
    void prettyPrintedJsonGoesOutAsOneLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineWriter writer = new LineWriter(out);
        writer.write("{\n  \"jsonrpc\": \"2.0\",\r\n  \"method\": \"a\\nb\"\n}".getBytes(StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{   \"jsonrpc\": \"2.0\",    \"method\": \"a\\nb\" }\n");
    }

    @Test
    void concurrentWritersNeverInterleaveLines() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineWriter writer = new LineWriter(out);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String body = ("{\"w\":\"" + t + "\"}").repeat(1);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 200; i++) {
                    try {
                        writer.write(body.getBytes(StandardCharsets.UTF_8));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(1600).allMatch(l -> l.matches("\\{\"w\":\"\\d\"}"));
    }

    @Test
    void writingAfterCloseFails() {
        LineWriter writer = new LineWriter(new ByteArrayOutputStream());
        writer.close();
        writer.close();
        assertThatThrownBy(() -> writer.write(new byte[] {'{', '}'})).hasMessageContaining("closed");
    }
}
