package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.stream.SseEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseParserTest {

    @Test
    void parsesIdEventDataAndRetry() throws IOException {
        List<SseEvent> events = parseAll("id: 7\nevent: message\nretry: 1500\ndata: {\"a\":1}\n\n");

        assertThat(events).containsExactly(new SseEvent(Optional.of("7"), Optional.of("message"), "{\"a\":1}", Optional.of(1500L)));
    }

    @Test
    void joinsMultiLineDataWithLineFeeds() throws IOException {
        assertThat(parseAll("data: one\ndata: two\ndata:\ndata: four\n\n"))
                .extracting(SseEvent::data).containsExactly("one\ntwo\n\nfour");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r", "\r\n"})
    void acceptsEveryLineEnding(String eol) throws IOException {
        String stream = "data: a" + eol + eol + "id: 2" + eol + "data: b" + eol + eol;

        assertThat(parseAll(stream)).extracting(SseEvent::data).containsExactly("a", "b");
    }

    @Test
    void dropsCommentsAndKeepsHeartbeatsOutOfEvents() throws IOException {
        assertThat(parseAll(": heartbeat\n\n:another\ndata: x\n: inside\n\n")).extracting(SseEvent::data).containsExactly("x");
    }

    @Test
    void keepsEmptyDataOfPrimingEvent() throws IOException {
        assertThat(parseAll("id: prime-1\ndata:\n\n"))
                .containsExactly(new SseEvent(Optional.of("prime-1"), Optional.empty(), "", Optional.empty()));
    }

    @Test
    void returnsIdOnlyAndRetryOnlyEventsSoTheProxySeesCursorsAndHints() throws IOException {
        assertThat(parseAll("id: 42\n\nretry: 3000\n\n")).containsExactly(
                new SseEvent(Optional.of("42"), Optional.empty(), "", Optional.empty()),
                new SseEvent(Optional.empty(), Optional.empty(), "", Optional.of(3000L)));
    }

    @Test
    void removesOnlyOneLeadingSpaceAndHandlesFieldsWithoutColon() throws IOException {
        assertThat(parseAll("data:  two spaces\ndata\n\n")).extracting(SseEvent::data).containsExactly(" two spaces\n");
    }

    @Test
    void ignoresUnknownFieldsInvalidRetryAndIdsWithNul() throws IOException {
        assertThat(parseAll("foo: bar\nretry: 12x\nid: a\u0000b\ndata: d\n\n"))
                .containsExactly(new SseEvent(Optional.empty(), Optional.empty(), "d", Optional.empty()));
    }

    @Test
    void skipsLeadingByteOrderMark() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] rest = "data: x\n\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + rest.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(rest, 0, all, 3, rest.length);

        assertThat(parse(new ByteArrayInputStream(all), 1024)).extracting(SseEvent::data).containsExactly("x");
    }

    @Test
    void decodesUtf8SplitAcrossReads() throws IOException {
        byte[] bytes = "data: h\u00e9llo \u2603 \uD83D\uDE00\n\n".getBytes(StandardCharsets.UTF_8);

        assertThat(parse(new OneByteAtATime(bytes), 1024)).extracting(SseEvent::data).containsExactly("h\u00e9llo \u2603 \uD83D\uDE00");
    }

    @Test
    void handlesCrLfSplitAcrossReads() throws IOException {
        assertThat(parse(new OneByteAtATime("data: a\r\n\r\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8)), 1024))
                .extracting(SseEvent::data).containsExactly("a", "b");
    }

    @Test
    void discardsAnEventCutOffByTheEndOfTheStream() throws IOException {
        assertThat(parseAll("data: complete\n\ndata: cut off")).extracting(SseEvent::data).containsExactly("complete");
    }

    @Test
    void refusesAnOversizedEventWithAClearError() {
        String big = "data: " + "x".repeat(2000) + "\n\n";

        assertThatThrownBy(() -> parse(new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)), 1024))
                .isInstanceOf(SseParser.EventTooLargeException.class)
                .hasMessageContaining("1024 bytes");
    }

    @Test
    void countsAllLinesOfAnEventAgainstTheLimitButNotComments() throws IOException {
        String manyLines = "data: 0123456789\n".repeat(100) + "\n";
        assertThatThrownBy(() -> parse(new ByteArrayInputStream(manyLines.getBytes(StandardCharsets.UTF_8)), 1000))
                .isInstanceOf(SseParser.EventTooLargeException.class);

        String manyComments = ": 0123456789\n".repeat(1000) + "data: ok\n\n";
        assertThat(parse(new ByteArrayInputStream(manyComments.getBytes(StandardCharsets.UTF_8)), 1000))
                .extracting(SseEvent::data).containsExactly("ok");
    }

    @Test
    void aLargeEventDoesNotGrowWhatTheParserHoldsForTheRestOfTheStream() throws IOException {
        String large = "x".repeat(200_000);
        String stream = "data: small\n\n" + "data: " + large + "\n\n" + "data: small again\n\n";
        SseParser parser = new SseParser(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), 1 << 20);

        assertThat(parser.next()).map(SseEvent::data).contains("small");
        int usual = parser.retainedCapacity();
        assertThat(parser.next()).map(SseEvent::data).contains(large);
        assertThat(parser.retainedCapacity()).as("after the large event").isLessThanOrEqualTo(usual + 8_192);
        assertThat(parser.next()).map(SseEvent::data).contains("small again");
        assertThat(parser.next()).isEmpty();
    }

    @Test
    void dropsItsBuffersBetweenEventsOnlyWhenItHoldsNoByteAndParsesOnAfterwards() throws IOException {
        String stream = "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\n"
                + "id: 2\ndata: two\n\n" + "data: three\n\n";
        // one byte at a time: the parser never holds a byte past the end of an event
        SseParser parser = new SseParser(new OneByteAtATime(stream.getBytes(StandardCharsets.UTF_8)), 1024);

        assertThat(parser.next()).map(SseEvent::data).contains("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}");
        assertThat(parser.retainedCapacity()).as("while parsing").isGreaterThan(1024);
        assertThat(parser.holdsInput()).isFalse();
        parser.dropBuffers();
        assertThat(parser.retainedCapacity()).as("between events, waiting").isLessThanOrEqualTo(16);

        assertThat(parser.next()).hasValueSatisfying(e -> {
            assertThat(e.id()).contains("2");
            assertThat(e.data()).isEqualTo("two");
        });
        parser.dropBuffers();
        assertThat(parser.next()).map(SseEvent::data).contains("three");
        assertThat(parser.next()).isEmpty();
    }

    @Test
    void keepsItsBuffersWhileItHoldsBytesOfTheNextEvent() throws IOException {
        SseParser parser = new SseParser(new ByteArrayInputStream("data: one\n\ndata: two\n\n".getBytes(StandardCharsets.UTF_8)), 1024);

        assertThat(parser.next()).map(SseEvent::data).contains("one");
        assertThat(parser.holdsInput()).isTrue();
        parser.dropBuffers();
        assertThat(parser.retainedCapacity()).isGreaterThanOrEqualTo(1024);
        assertThat(parser.next()).map(SseEvent::data).contains("two");
    }

    @Test
    void returnsEachEventAsSoonAsItIsCompleteWithoutWaitingForTheEnd() throws Exception {
        BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(10);
        InputStream live = new InputStream() {
            private byte[] current = new byte[0];
            private int pos;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos == current.length) {
                    try {
                        current = chunks.take();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    pos = 0;
                    if (current.length == 0) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        SseParser parser = new SseParser(live, 1024);

        chunks.put("data: first\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(parser.next()).map(SseEvent::data).contains("first");
        chunks.put("data: sec".getBytes(StandardCharsets.UTF_8));
        chunks.put("ond\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(parser.next()).map(SseEvent::data).contains("second");
        chunks.put(new byte[0]);
        assertThat(parser.next()).isEmpty();
    }

    private static List<SseEvent> parseAll(String stream) throws IOException {
        return parse(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), 1 << 20);
    }

    private static List<SseEvent> parse(InputStream in, int max) throws IOException {
        SseParser parser = new SseParser(in, max);
        List<SseEvent> events = new ArrayList<>();
        Optional<SseEvent> next;
        while ((next = parser.next()).isPresent()) {
            events.add(next.get());
        }
        return events;
    }

    /** An input stream that hands out one byte per read, to split every multi-byte sequence. */
    private static final class OneByteAtATime extends InputStream {
        private final byte[] bytes;
        private int pos;

        OneByteAtATime(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= bytes.length) {
                return -1;
            }
            b[off] = bytes[pos++];
            return 1;
        }
    }
}
