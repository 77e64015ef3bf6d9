package io.mcprelay.adapter.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static LineReader reader(String text, int max) {
        return new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }

    private static String next(LineReader r) throws IOException {
        byte[] line = r.next();
        return line == null ? null : new String(line, StandardCharsets.UTF_8);
    }

    @Test
    void splitsOnLineFeedsDropsCarriageReturnsAndReturnsAnUnterminatedLastLine() throws IOException {
        LineReader r = reader("{\"a\":1}\n{\"b\":2}\r\n\nlast", 100);
        assertThat(next(r)).isEqualTo("{\"a\":1}");
        assertThat(next(r)).isEqualTo("{\"b\":2}");
        assertThat(next(r)).isEmpty();
        assertThat(next(r)).isEqualTo("last");
        assertThat(next(r)).isNull();
    }

    @Test
    void aLineOverTheBoundIsRefusedAndTheNextLineIsReadInStep() throws IOException {
        LineReader r = reader("x".repeat(50_000) + "\nok\n", 1000);
        assertThatThrownBy(r::next).isInstanceOf(LineReader.LineTooLongException.class).hasMessageContaining("1000 bytes");
        assertThat(next(r)).isEqualTo("ok");
    }

    @Test
    void aLineOfExactlyTheBoundIsRead() throws IOException {
        LineReader r = reader("y".repeat(3000) + "\n", 3000);
        assertThat(next(r)).hasSize(3000);
    }

    @Test
    void readsLinesThatArriveInPieces() throws IOException {
        byte[] bytes = "{\"id\":1}\n{\"id\":2}\n".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new InputStream() {
            int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[i++];
                return 1;
            }
        };
        LineReader r = new LineReader(trickle, 64);
        assertThat(next(r)).isEqualTo("{\"id\":1}");
        assertThat(next(r)).isEqualTo("{\"id\":2}");
        assertThat(next(r)).isNull();
    }

    @Test
    void refusesANonPositiveBound() {
        assertThatThrownBy(() -> reader("", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
