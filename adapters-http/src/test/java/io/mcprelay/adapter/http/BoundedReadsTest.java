package io.mcprelay.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The whole entity up to the limit, whatever length was declared for it. */
class BoundedReadsTest {

    private static byte[] read(String entity, long declared, int max) throws IOException {
        return BoundedReads.readAtMost(new ByteArrayInputStream(entity.getBytes(StandardCharsets.UTF_8)), declared, max);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void anEntityOfItsDeclaredLengthIsReadWhole() throws IOException {
        assertThat(text(read("{\"id\":1}", 8, 100))).isEqualTo("{\"id\":1}");
    }

    @Test
    void anEntityWithoutADeclaredLengthIsReadToItsEnd() throws IOException {
        assertThat(text(read("{\"id\":1}", -1, 100))).isEqualTo("{\"id\":1}");
    }

    @Test
    void anEntityShorterThanDeclaredIsWhatArrived() throws IOException {
        assertThat(text(read("{\"id\"", 8, 100))).isEqualTo("{\"id\"");
    }

    @Test
    void anEntityLongerThanDeclaredIsReadOnUpToTheLimit() throws IOException {
        assertThat(text(read("0123456789", 4, 100))).isEqualTo("0123456789");
        assertThat(read("0123456789", 4, 6)).hasSize(6);
    }

    @Test
    void nothingPastTheLimitIsReadWhateverIsDeclared() throws IOException {
        assertThat(read("0123456789", -1, 5)).hasSize(5);
        assertThat(read("0123456789", 10, 5)).hasSize(5);
    }

    @Test
    void anEmptyEntityIsEmpty() throws IOException {
        assertThat(read("", 0, 5)).isEmpty();
        assertThat(read("", -1, 5)).isEmpty();
    }
}
