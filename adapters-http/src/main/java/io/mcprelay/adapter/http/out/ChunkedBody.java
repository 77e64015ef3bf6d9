package io.mcprelay.adapter.http.out;

import java.io.IOException;

/**
 * A {@code Transfer-Encoding: chunked} body (RFC 9112, section 7.1): chunk extensions are ignored and
 * trailer fields skipped. Bounded: a chunk-size line over {@value #MAX_CHUNK_LINE} bytes, a size that
 * is not hexadecimal, or trailers over the response head's bounds are protocol failures. The line
 * after a chunk's data is only read when the next chunk is wanted, so that a chunk is handed on as
 * soon as its data arrived (an event stream's event must not wait for the upstream's next write).
 */
final class ChunkedBody extends ResponseBody {

    static final int MAX_CHUNK_LINE = 1024;

    /** Bytes left in the current chunk. */
    private long remaining;
    /** Whether a chunk's data was read and its CRLF not yet. */
    private boolean afterData;
    private boolean done;

    ChunkedBody(UpstreamConnection connection) {
        super(connection);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            if (afterData) {
                endOfData();
                afterData = false;
            }
            remaining = chunkSize();
            if (remaining == 0) {
                skipTrailers();
                done = true;
                markFinished();
                return -1;
            }
        }
        int n = connection.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new UpstreamClosedEarlyException();
        }
        remaining -= n;
        afterData = remaining == 0;
        return n;
    }

    /**
     * Like the default, but first takes the CRLF after a chunk's data when it is buffered already, so
     * that bytes that are only framing do not count as input at hand: an upstream sends each event as
     * a chunk, and the CRLF usually comes with it.
     */
    @Override
    void awaitInput(Runnable beforeWaiting) throws IOException {
        if (done) {
            return;
        }
        if (remaining == 0 && afterData && connection.buffered() >= 2) {
            endOfData();
            afterData = false;
        }
        connection.awaitReadable(beforeWaiting);
    }

    @Override
    public int available() {
        return (int) Math.min(connection.buffered(), remaining);
    }

    private long chunkSize() throws IOException {
        int lf = connection.lineEnd(MAX_CHUNK_LINE);
        if (lf < 0) {
            throw new UpstreamProtocolException("the upstream sent a chunk-size line longer than " + MAX_CHUNK_LINE + " bytes");
        }
        byte[] b = connection.buffer();
        int start = connection.position();
        long size = 0;
        int i = start;
        for (; i < lf; i++) {
            int digit = Character.digit(b[i], 16);
            if (digit < 0) {
                break;
            }
            if (i - start == 15) {
                throw new UpstreamProtocolException("the upstream sent a chunk size too large to be real");
            }
            size = size * 16 + digit;
        }
        boolean endsWell = i < lf && (b[i] == ';' || b[i] == ' ' || b[i] == '\t' || b[i] == '\r' && i == lf - 1) || i == lf;
        if (i == start || !endsWell) {
            String line = new String(b, start, Math.min(lf - start, 40), java.nio.charset.StandardCharsets.ISO_8859_1);
            throw new UpstreamProtocolException("the upstream sent a chunk size that is not a hexadecimal number: \""
                    + RequestEncoder.printable(line.strip()) + "\"");
        }
        connection.consumeTo(lf + 1);
        return size;
    }

    /** The CRLF that ends a chunk's data. */
    private void endOfData() throws IOException {
        int lf = connection.lineEnd(1);
        if (lf < 0 || lf > connection.position() && connection.buffer()[connection.position()] != '\r') {
            throw new UpstreamProtocolException("the upstream's chunk is longer than its chunk size says");
        }
        connection.consumeTo(lf + 1);
    }

    private void skipTrailers() throws IOException {
        int budget = ResponseHeadReader.MAX_HEAD_BYTES;
        for (int fields = 0; ; fields++) {
            int lf = connection.lineEnd(budget);
            if (lf < 0 || fields > ResponseHeadReader.MAX_HEADERS) {
                throw new UpstreamProtocolException("the upstream's chunked trailer is larger than the bounds of a response head");
            }
            int start = connection.position();
            budget -= lf + 1 - start;
            connection.consumeTo(lf + 1);
            if (lf == start || lf == start + 1 && connection.buffer()[start] == '\r') {
                return;
            }
        }
    }
}
