package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestFramingTest {

    private static final String HEAD = "POST /mcp HTTP/1.1\r\nHost: h\r\n";

    private static String feed(RequestFraming framing, String bytes) {
        return new String(framing.feed(bytes.getBytes(StandardCharsets.ISO_8859_1), 0), StandardCharsets.ISO_8859_1);
    }

    private static RequestFraming fed(String bytes) {
        RequestFraming framing = new RequestFraming();
        feed(framing, bytes);
        return framing;
    }

    @Test
    void aPlainRequestPassesUnchangedAsTheSameArray() {
        RequestFraming framing = new RequestFraming();
        byte[] in = (HEAD + "Content-Length: 5\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII);
        assertThat(framing.feed(in, 0)).isSameAs(in);
        assertThat(framing.requests()).isEqualTo(1);
        assertThat(framing.phase()).isEqualTo(RequestFraming.Phase.IDLE);
    }

    @Test
    void phasesFollowTheBytes() {
        RequestFraming framing = new RequestFraming();
        assertThat(framing.phase()).isEqualTo(RequestFraming.Phase.IDLE);
        feed(framing, "POST /mcp HT");
        assertThat(framing.phase()).isEqualTo(RequestFraming.Phase.HEAD);
        feed(framing, "TP/1.1\r\nContent-Length: 3\r\n\r\na");
        assertThat(framing.phase()).isEqualTo(RequestFraming.Phase.BODY);
        feed(framing, "bc");
        assertThat(framing.phase()).isEqualTo(RequestFraming.Phase.IDLE);
    }

    @Test
    void chunkedBodiesAreReframedWithoutExtensionsAndTrailers() {
        RequestFraming framing = new RequestFraming();
        String out = feed(framing, HEAD + "Transfer-Encoding: chunked\r\n\r\n5;a=b;c=\"d e\"\r\nhello\r\n0003 ; x\r\nabc\r\n0\r\nX-T: 1\r\n\r\n");
        assertThat(out).isEqualTo(HEAD + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n");
        assertThat(framing.violation()).isNull();
        assertThat(framing.requests()).isEqualTo(1);
    }

    @Test
    void chunkDataSplitOverReadsIsPassedAsItArrives() {
        RequestFraming framing = new RequestFraming();
        StringBuilder out = new StringBuilder(feed(framing, HEAD + "Transfer-Encoding: chunked\r\n\r\na\r\nhel"));
        out.append(feed(framing, "lo"));
        out.append(feed(framing, "world\r"));
        out.append(feed(framing, "\n0\r\n\r\n"));
        assertThat(out.toString()).endsWith("\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n5\r\nworld\r\n0\r\n\r\n");
        assertThat(framing.violation()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Transfer-Encoding: chunked\\r\\n\\r\\n5\\nhello\\r\\n0\\r\\n\\r\\n | 400 | bare LF",
        "Transfer-Encoding: chunked\\r\\n\\r\\n-5\\r\\nhello\\r\\n0\\r\\n\\r\\n | 400 | hex digit",
        "Transfer-Encoding: chunked\\r\\n\\r\\nfffffffffffffffffff\\r\\n | 400 | overflows",
        "Transfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhelloXX | 400 | CRLF",
        "Transfer-Encoding: chunked\\r\\n\\r\\n5x\\r\\n | 400 | not hex",
        "Transfer-Encoding: chunked\\r\\n\\r\\n5;a\\x01\\r\\n | 400 | control character",
        "Transfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\x01\\r\\n | 400 | trailer",
        "Transfer-Encoding: chunked\\r\\n\\r\\n0\\r\\nX: \\n | 400 | bare LF",
        "Transfer-Encoding: chunked\\r\\nContent-Length: 5\\r\\n\\r\\n | 400 | both",
        "Content-Length: 5\\r\\nContent-Length: 5\\r\\n\\r\\n | 400 | more than once",
        "Content-Length: -1\\r\\n\\r\\n | 400 | not a number",
        "Content-Length: 99999999999999999999\\r\\n\\r\\n | 400 | not a number",
        "Transfer-Encoding: gzip\\r\\n\\r\\n | 501 | not supported",
        "Transfer-Encoding: \\r\\n\\r\\n | 400 | not valid",
        "Transfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 400 | more than once",
        "X: a\\r\\n b\\r\\n\\r\\n | 400 | folding",
        "X : a\\r\\n\\r\\n | 400 | whitespace",
        "X: a\\nY: b\\r\\n\\r\\n | 400 | bare LF",
        "X: a\\x00\\r\\n\\r\\n | 400 | control character",
        "X@: a\\r\\n\\r\\n | 400 | not allowed",
        "NoColon\\r\\n\\r\\n | 400 | without a colon",
        ":a\\r\\n\\r\\n | 400 | not allowed",
        "X: a\\r\\r\\n | 400 | CRLF",
        "X: a\\r\\n\\rx | 400 | CRLF",
    })
    void brokenFramingIsAViolation(String headers, int status, String message) {
        RequestFraming framing = fed(HEAD + unescape(headers));
        assertThat(framing.violation()).isNotNull();
        assertThat(framing.violation().status()).isEqualTo(status);
        assertThat(framing.violation().getMessage()).contains(message);
        assertThat(framing.phase()).isEqualTo(RequestFraming.Phase.CLOSED);
    }

    @Test
    void requestLineRules() {
        assertThat(fed("GET / HTTP/1.1\n").violation().getMessage()).contains("bare LF");
        assertThat(fed("GET / HTTP/1.1\rx").violation().getMessage()).contains("CRLF");
        assertThat(fed("GET /\u0001 HTTP/1.1\r\n").violation().getMessage()).contains("control");
        assertThat(fed("GET / HTTP/2.0\r\n").violation().status()).isEqualTo(505);
        assertThat(fed("GET /\r\n").violation().status()).isEqualTo(400);
        assertThat(fed("GET /" + "a".repeat(RequestFraming.MAX_REQUEST_LINE) + " HTTP/1.1\r\n").violation().status()).isEqualTo(414);
        assertThat(fed("\r\n\r\nGET / HTTP/1.1\r\n\r\n").violation()).isNull();
        assertThat(fed("\r\rGET").violation().getMessage()).contains("empty line");
    }

    @Test
    void emptyLinesBeforeARequestAreDropped() {
        RequestFraming framing = new RequestFraming();
        assertThat(feed(framing, "\r\nGET / HTTP/1.1\r\n\r\n")).isEqualTo("GET / HTTP/1.1\r\n\r\n");
    }

    @Test
    void headLimits() {
        StringBuilder many = new StringBuilder(HEAD);
        for (int i = 0; i <= RequestFraming.MAX_HEADER_FIELDS; i++) {
            many.append("X").append(i).append(": v\r\n");
        }
        assertThat(fed(many.toString()).violation().status()).isEqualTo(431);
        assertThat(fed(HEAD + "X: " + "a".repeat(RequestFraming.MAX_HEADER_BYTES) + "\r\n").violation().status()).isEqualTo(431);
        assertThat(fed(HEAD + "Connection: " + "a".repeat(300) + "\r\n").violation().getMessage()).contains("too long");
        assertThat(fed(HEAD + "Transfer-Encoding: chunked\r\n\r\n1;" + "a".repeat(5000)).violation().getMessage()).contains("chunk-size line");
        assertThat(fed(HEAD + "Transfer-Encoding: chunked\r\n\r\n0\r\nX: " + "a".repeat(5000)).violation().getMessage()).contains("trailers");
    }

    @Test
    void theBytesBeforeAViolationArePassedAndNothingAfter() {
        RequestFraming framing = new RequestFraming();
        String ok = HEAD + "Content-Length: 2\r\n\r\nhi";
        String out = feed(framing, ok + "GET / HTTP/1.1\r\nX : y\r\n\r\nGET /hidden HTTP/1.1\r\n\r\n");
        assertThat(out).isEqualTo(ok + "GET / HTTP/1.1\r\nX");
        assertThat(framing.violation()).isNotNull();
        assertThat(framing.requests()).isEqualTo(1);
    }

    @Test
    void connectionCloseEndsTheConnectionAfterTheRequest() {
        RequestFraming framing = new RequestFraming();
        String first = HEAD + "Connection: keep-alive, close\r\nContent-Length: 1\r\n\r\nx";
        assertThat(feed(framing, first + "GET /next HTTP/1.1\r\n\r\n")).isEqualTo(first);
        assertThat(framing.phase()).isEqualTo(RequestFraming.Phase.CLOSED);
        assertThat(feed(framing, "more")).isEmpty();
    }

    @Test
    void http10ClosesUnlessKeptAliveAndNeverTakesChunked() {
        assertThat(fed("GET / HTTP/1.0\r\n\r\n").phase()).isEqualTo(RequestFraming.Phase.CLOSED);
        assertThat(fed("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").phase()).isEqualTo(RequestFraming.Phase.IDLE);
        assertThat(fed("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n").violation().getMessage()).contains("HTTP/1.0");
    }

    @Test
    void pipelinedRequestsPassTogether() {
        RequestFraming framing = new RequestFraming();
        String one = HEAD + "Content-Length: 1\r\n\r\nx";
        assertThat(feed(framing, one + one + "GET / HTTP/1.1\r\n\r\n")).isEqualTo(one + one + "GET / HTTP/1.1\r\n\r\n");
        assertThat(framing.requests()).isEqualTo(3);
    }

    private static String unescape(String text) {
        return text.strip().replace("\\r", "\r").replace("\\n", "\n").replace("\\x00", "\u0000").replace("\\x01", "\u0001");
    }
}
