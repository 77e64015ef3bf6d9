package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.adapter.http.BoundedReads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The socket client's HTTP/1.1 parsing on its own: response heads, chunked bodies and endpoints, from
 * bytes given whole or one byte per read (so that every line and chunk is split across reads). The
 * over-the-wire behaviour is in {@link SocketUpstreamAdapterTest}.
 */
class SocketHttpParsingTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsAStatusLineWithoutReasonAndBareLineFeeds(boolean trickle) throws IOException {
        ResponseHead head = ResponseHeadReader.read(connection("HTTP/1.1 200\nContent-Type:text/plain \t\nX-Empty:\n\nrest", trickle));

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.contentType()).isEqualTo("text/plain");
        assertThat(head.headers().get("x-empty")).contains("");
        assertThat(head.framing()).isEqualTo(ResponseHead.Framing.UNTIL_CLOSE);
        assertThat(head.keepAlive()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTX/1.1 200 OK", "HTTP/1.1 200OK", " HTTP/1.1 200 OK",
            "HTTP/1.1 2x0 OK", "HTTP/1.x 200 OK", "HTTP/1.1\t200 OK", "HTTP/1,1 200 OK", "", "HTTP/11 200 OK", "HTTP/1.1 20x OK",
            "HTTQ/1.1 200 OK", "HTPP/1.1 200 OK", "XTTP/1.1 200 OK", "HTTP-1.1 200 OK", "HTTP/2.1 200 OK"})
    void refusesWhatIsNotAStatusLine(String line) {
        assertThatThrownBy(() -> ResponseHeadReader.read(connection(line + "\r\n\r\n", false)))
                .isInstanceOf(UpstreamProtocolException.class).hasMessageContaining("status line");
    }

    @Test
    void refusesAStatusBelow100() {
        assertThatThrownBy(() -> ResponseHeadReader.read(connection("HTTP/1.1 099 Odd\r\n\r\n", false)))
                .isInstanceOf(UpstreamProtocolException.class).hasMessageContaining("invalid status code 99");
    }

    @Test
    void boundsTheInterimAnswers() {
        assertThatThrownBy(() -> ResponseHeadReader.read(connection("HTTP/1.1 100 Continue\r\n\r\n".repeat(20), false)))
                .isInstanceOf(UpstreamProtocolException.class).hasMessageContaining("more than 16 interim");
    }

    @Test
    void anAnswerCutInItsHeadIsClosedEarly() {
        assertThatThrownBy(() -> ResponseHeadReader.read(connection("HTTP/1.1 200 OK\r\nContent-Ty", false)))
                .isInstanceOf(UpstreamClosedEarlyException.class);
        assertThatThrownBy(() -> ResponseHeadReader.read(connection("", false))).isInstanceOf(UpstreamClosedEarlyException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {": no name", "Na\"me: x", "Name", "(x): y"})
    void refusesMalformedHeaderLines(String line) {
        assertThatThrownBy(() -> ResponseHeadReader.read(connection("HTTP/1.1 200 OK\r\n" + line + "\r\n\r\n", false)))
                .isInstanceOf(UpstreamProtocolException.class).hasMessageContaining("malformed header line");
    }

    @Test
    void framingFollowsRfc9112() throws IOException {
        assertThat(head("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n")).satisfies(h -> {
            assertThat(h.framing()).isEqualTo(ResponseHead.Framing.NONE);
            assertThat(h.declaredLength()).isZero();
            assertThat(h.keepAlive()).isTrue();
        });
        assertThat(head("HTTP/1.1 304 Not Modified\r\n\r\n").framing()).isEqualTo(ResponseHead.Framing.NONE);
        // the relay asks for no transfer coding: one it did not ask for is refused, not relayed still encoded
        for (String coding : List.of("gzip", "gzip, chunked", "chunked, gzip")) {
            assertThatThrownBy(() -> head("HTTP/1.1 200 OK\r\nTransfer-Encoding: " + coding + "\r\n\r\n"))
                    .isInstanceOf(UpstreamProtocolException.class).hasMessageContaining("transfer coding the relay did not ask for");
        }
        assertThat(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n")).satisfies(h -> {
            assertThat(h.framing()).isEqualTo(ResponseHead.Framing.CHUNKED);
            assertThat(h.declaredLength()).isEqualTo(-1);
            assertThat(h.keepAlive()).isTrue();
        });
        assertThatThrownBy(() -> head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"))
                .isInstanceOf(UpstreamProtocolException.class).hasMessage("the upstream sent both Transfer-Encoding and Content-Length");
        assertThat(head("HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\nConnection: keep-alive, Upgrade\r\n\r\n")).satisfies(h -> {
            assertThat(h.framing()).isEqualTo(ResponseHead.Framing.LENGTH);
            assertThat(h.declaredLength()).isEqualTo(7);
            assertThat(h.keepAlive()).isTrue();
        });
        assertThat(head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-1", "1234567890123456789", "1,", "0x10"})
    void refusesInvalidContentLengths(String value) {
        assertThatThrownBy(() -> head("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\n"))
                .isInstanceOf(UpstreamProtocolException.class).hasMessageContaining("invalid Content-Length");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsChunksSplitAcrossReads(boolean trickle) throws IOException {
        String body = "4\r\nWiki\r\n5;a=b\r\npedia\r\nE \r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n";
        UpstreamConnection connection = connection(body + "NEXT", trickle);
        ChunkedBody chunked = new ChunkedBody(connection);

        assertThat(new String(chunked.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("Wikipedia in\r\n\r\nchunks.");
        assertThat(chunked.finished()).isTrue();
        assertThat(chunked.read()).isEqualTo(-1);
        assertThat(chunked.read(new byte[4], 0, 4)).isEqualTo(-1);
        assertThat(connection.read()).isEqualTo('N');
    }

    @Test
    void refusesBrokenChunks() {
        assertThatThrownBy(() -> new ChunkedBody(connection("1234567890abcdef0\r\n", false)).readAllBytes())
                .isInstanceOf(UpstreamProtocolException.class).hasMessageContaining("too large to be real");
        assertThatThrownBy(() -> new ChunkedBody(connection("5x\r\nhello\r\n", false)).readAllBytes())
                .isInstanceOf(UpstreamProtocolException.class).hasMessageContaining("not a hexadecimal number: \"5x\"");
        assertThatThrownBy(() -> new ChunkedBody(connection("5\r\nhel", false)).readAllBytes())
                .isInstanceOf(UpstreamClosedEarlyException.class);
        assertThatThrownBy(() -> new ChunkedBody(connection("0\r\n" + "T: x\r\n".repeat(200) + "\r\n", false)).readAllBytes())
                .isInstanceOf(UpstreamProtocolException.class).hasMessageContaining("trailer");
        assertThatThrownBy(() -> new ChunkedBody(connection("2\r\nokXY", false)).readAllBytes())
                .isInstanceOf(UpstreamProtocolException.class).hasMessageContaining("longer than its chunk size");
    }

    @Test
    void aFixedLengthBodyCutShortIsClosedEarlyAndOneReadWholeIsFinished() throws IOException {
        UpstreamConnection cut = connection("abc", false);
        assertThatThrownBy(() -> new ResponseBody.FixedLength(cut, 10).readAllBytes()).isInstanceOf(UpstreamClosedEarlyException.class);

        ResponseBody.FixedLength whole = new ResponseBody.FixedLength(connection("abcdef", false), 3);
        assertThat(whole.available()).isZero(); // nothing buffered yet
        assertThat(BoundedReads.readAtMost(whole, 3, 100)).containsExactly('a', 'b', 'c');
        assertThat(whole.finished()).isTrue();
        assertThat(whole.read(new byte[1], 0, 1)).isEqualTo(-1);
    }

    @Test
    void aLongLineGrowsTheBufferAndTheHeadGivesItBack() throws IOException {
        String value = "v".repeat(5000);
        UpstreamConnection connection = connection("HTTP/1.1 200 OK\r\nX-Long: " + value + "\r\nContent-Length: 2\r\n\r\nok", false);

        assertThat(ResponseHeadReader.read(connection).headers().get("x-long")).contains(value);
        assertThat(connection.buffer()).hasSize(UpstreamConnection.BUFFER_SIZE);
        assertThat(connection.buffered()).isEqualTo(2);
        byte[] body = new byte[UpstreamConnection.BUFFER_SIZE];
        assertThat(connection.read(body, 0, 0)).isZero();
        assertThat(connection.read(body, 0, body.length)).isEqualTo(2);
        assertThat(connection.read(body, 0, body.length)).isEqualTo(-1);
        assertThat(connection.read()).isEqualTo(-1);
    }

    @Test
    void aConnectionCarryingAStreamKeepsASmallBufferAndGetsItsUsualOneBackAfterwards() throws IOException {
        String events = "data: " + "e".repeat(3000) + "\n\n";
        String chunked = Integer.toHexString(events.length()) + "\r\n" + events + "\r\n0\r\n\r\n";
        UpstreamConnection connection = connection("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
                + "HTTP/1.1 200 OK\r\nX-Long: " + "v".repeat(3000) + "\r\nContent-Length: 0\r\n\r\n", true);
        ResponseHeadReader.read(connection);

        connection.carryingStream(true);
        ChunkedBody body = new ChunkedBody(connection);
        assertThat(new String(body.readNBytes(6), StandardCharsets.ISO_8859_1)).isEqualTo("data: ");
        assertThat(connection.bufferSize()).isEqualTo(UpstreamConnection.STREAM_BUFFER_SIZE);
        assertThat(body.readAllBytes()).hasSize(events.length() - 6);

        connection.carryingStream(false);
        assertThat(ResponseHeadReader.read(connection).headers().get("x-long")).contains("v".repeat(3000));
        assertThat(connection.bufferSize()).as("back to the usual buffer after the long head").isEqualTo(UpstreamConnection.BUFFER_SIZE);
    }

    @Test
    void workingOutEndpoints() {
        Endpoint plain = Endpoint.of(URI.create("http://example.org"));
        assertThat(plain.port()).isEqualTo(80);
        assertThat(plain.origin()).isEqualTo("http://example.org:80");
        assertThat(new String(plain.targetAndHost(), StandardCharsets.ISO_8859_1)).isEqualTo(" / HTTP/1.1\r\nHost: example.org\r\n");

        Endpoint tls = Endpoint.of(URI.create("HTTPS://[::1]:8443/a/b?x=%20y"));
        assertThat(tls.tls()).isTrue();
        assertThat(tls.host()).isEqualTo("::1");
        assertThat(new String(tls.targetAndHost(), StandardCharsets.ISO_8859_1)).isEqualTo(" /a/b?x=%20y HTTP/1.1\r\nHost: [::1]:8443\r\n");
        assertThat(Endpoint.of(URI.create("https://example.org/mcp")).port()).isEqualTo(443);

        assertThatThrownBy(() -> Endpoint.of(URI.create("ftp://example.org/"))).hasMessageContaining("unsupported upstream URI scheme");
        assertThatThrownBy(() -> Endpoint.of(URI.create("http:/no-host"))).hasMessageContaining("without a host");
        assertThatThrownBy(() -> Endpoint.of(URI.create("https:///mcp"))).hasMessageContaining("without a host");
    }

    @Test
    void printableEscapesControlCharactersAndCutsLongText() {
        assertThat(RequestEncoder.printable("a\r\nb")).isEqualTo("a\\u000d\\u000ab");
        assertThat(RequestEncoder.printable("x".repeat(100))).hasSize(67).endsWith("...");
    }

    private static ResponseHead head(String text) throws IOException {
        return ResponseHeadReader.read(connection(text, false));
    }

    /** A connection over a socket that reads {@code text}, whole or one byte per read. */
    private static UpstreamConnection connection(String text, boolean trickle) {
        ByteArrayInputStream bytes = new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = !trickle ? bytes : new InputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return bytes.read(b, off, Math.min(len, 1));
            }
        };
        OutputStream out = new ByteArrayOutputStream();
        Socket socket = new Socket() {
            @Override
            public InputStream getInputStream() {
                return in;
            }

            @Override
            public OutputStream getOutputStream() {
                return out;
            }
        };
        try {
            return new UpstreamConnection(java.nio.channels.SocketChannel.open(), socket, "http://test:80", new IoDeadlines(java.time.Duration.ofSeconds(30)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
