package io.mcprelay.adapter.http.in;

import java.nio.charset.StandardCharsets;

/**
 * A strict reader of the HTTP/1.1 request framing on one client connection, run over every byte
 * before Helidon's parser sees it ({@link GuardedConnection}).
 *
 * <p>Helidon's parser is lenient where leniency smuggles: a chunk-size line that ends in a bare LF,
 * chunk data not followed by CRLF (it skips two bytes, whatever they are) and a refused chunk
 * extension left the rest of the body to be read as a new request, so one request got three answers
 * and the upstream ran a request hidden in the body. Here every framing rule of RFC 9112 is checked:
 * lines end in CRLF; header names are tokens followed at once by the colon (no whitespace before it, no
 * obs-fold); Content-Length is digits, once; Transfer-Encoding is exactly {@code chunked}, never with
 * Content-Length nor in HTTP/1.0; chunk sizes are hex without sign or overflow, chunk data ends in
 * CRLF. The first violation ends the connection: bytes before it go on, nothing after it is read.
 *
 * <p>Chunked bodies are re-encoded ({@link ChunkedFraming}): size lines are rewritten without
 * extensions (legal, but Helidon refuses them), data goes on in chunks of what arrived, trailers are
 * dropped (RFC 9112 lets a recipient discard them). Other bytes pass unchanged, and a buffer that
 * needed no change is returned as it is ({@link FramedOutput}). After a request that asked for {@code Connection: close} (or an HTTP/1.0 request
 * without keep-alive) nothing more is passed on.
 *
 * <p>Not thread-safe: one connection's reader thread feeds it.
 */
final class RequestFraming {

    /** What the connection waits for, which decides its deadline. */
    enum Phase { IDLE, HEAD, BODY, CLOSED }

    static final int MAX_REQUEST_LINE = 4096;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_HEADER_FIELDS = 100;
    private static final int MAX_KEPT_VALUE = 256;

    private enum State {
        START, START_LF, LINE, LINE_LF, FIELD_START, NAME, VALUE, VALUE_LF, HEAD_LF, LENGTH_BODY, CHUNKED_BODY, CLOSED, FAILED
    }

    private enum Kept { NONE, CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION }

    private State state = State.START;
    private FramingViolation violation;
    private long headStartedAt;
    private long bodyStartedAt;
    private int requests;

    // the head being read
    private int lineBytes;
    private int headBytes;
    private int fields;
    private long versionTail;
    private StringBuilder name;
    private StringBuilder value;
    private Kept kept;
    private long contentLength;
    private boolean chunked;
    private boolean close;
    private boolean keepAlive;
    private boolean http10;

    // the body being read
    private long remaining;

    /** What the current feed passes on. */
    private final FramedOutput output = new FramedOutput();
    private final ChunkedFraming chunkedBody = new ChunkedFraming(output, this::fail);

    /** The phase the next bytes belong to. */
    Phase phase() {
        if (violation != null) {
            return Phase.CLOSED;
        }
        return switch (state) {
            case START, START_LF -> Phase.IDLE;
            case CLOSED, FAILED -> Phase.CLOSED;
            case LENGTH_BODY, CHUNKED_BODY -> Phase.BODY;
            default -> Phase.HEAD;
        };
    }

    /** When the first byte of the current head arrived ({@link System#nanoTime()}). */
    long headStartedAt() {
        return headStartedAt;
    }

    /** When the current body began (the end of its head). */
    long bodyStartedAt() {
        return bodyStartedAt;
    }

    /** How many requests were framed completely so far. */
    int requests() {
        return requests;
    }

    /** The violation found, if any; once set, nothing more is accepted. */
    FramingViolation violation() {
        return violation;
    }

    /**
     * The bytes of {@code in} that Helidon may read, as they should read: {@code in} itself when
     * nothing needed rewriting, else a new array (possibly empty). A violation is kept in
     * {@link #violation()}; the bytes before it are returned.
     */
    byte[] feed(byte[] in, long now) {
        output.start();
        int i = 0;
        while (i < in.length) {
            int used = step(in, i, in[i] & 0xff, now);
            if (violation != null) {
                return output.result(in, i);    // the bytes before the one that broke a rule
            }
            i += used;
        }
        return output.result(in, in.length);
    }

    /** Reads {@code in[i]} (and, in a body, the run of body bytes it starts); returns how many bytes it took. */
    private int step(byte[] in, int i, int b, long now) {
        switch (state) {
            case START -> {
                if (b == '\r') {
                    output.drop(in, i);    // RFC 9112 2.2: empty lines before a request line are ignored
                    state = State.START_LF;
                } else {
                    resetHead(now);
                    state = State.LINE;
                    line(b);
                }
            }
            case START_LF -> {
                output.drop(in, i);
                expect(b == '\n', 400, "an empty line before the request line must end in CRLF");
                state = State.START;
            }
            case LINE -> line(b);
            case LINE_LF -> {
                expect(b == '\n', 400, "the request line must end in CRLF");
                version();
                state = State.FIELD_START;
            }
            case FIELD_START -> fieldStart(b, now);
            case NAME -> name(b);
            case VALUE -> value(b);
            case VALUE_LF -> {
                expect(b == '\n', 400, "a header line must end in CRLF");
                field();
                state = State.FIELD_START;
            }
            case HEAD_LF -> {
                expect(b == '\n', 400, "the header section must end in CRLF");
                headEnd(now);
            }
            case LENGTH_BODY -> {
                int run = (int) Math.min(remaining, in.length - i);
                remaining -= run;
                if (remaining == 0) {
                    complete();
                }
                return run;
            }
            case CHUNKED_BODY -> {
                int used = chunkedBody.step(in, i);
                if (chunkedBody.done()) {
                    complete();
                }
                return used;
            }
            case CLOSED -> {
                // nothing after a request that closes the connection is read
                output.dropRest(in, i);
                return in.length - i;
            }
            case FAILED -> fail(400, "after a framing error");
        }
        return 1;
    }

    private void resetHead(long now) {
        headStartedAt = now;
        lineBytes = 0;
        headBytes = 0;
        fields = 0;
        versionTail = 0;
        contentLength = -1;
        chunked = false;
        close = false;
        keepAlive = false;
        http10 = false;
    }

    private void line(int b) {
        if (b == '\r') {
            state = State.LINE_LF;
        } else if (b == '\n') {
            fail(400, "the request line ends in a bare LF");
        } else if (b < 0x20 && b != '\t' || b == 0x7f) {
            fail(400, "a control character in the request line");
        } else if (++lineBytes > MAX_REQUEST_LINE) {
            fail(414, "the request line is longer than " + MAX_REQUEST_LINE + " bytes");
        } else {
            versionTail = versionTail << 8 | b;
        }
    }

    private void version() {
        String tail = new String(new byte[] {(byte) (versionTail >>> 56), (byte) (versionTail >>> 48), (byte) (versionTail >>> 40),
                (byte) (versionTail >>> 32), (byte) (versionTail >>> 24), (byte) (versionTail >>> 16), (byte) (versionTail >>> 8),
                (byte) versionTail}, StandardCharsets.ISO_8859_1);
        if (tail.equals("HTTP/1.0")) {
            http10 = true;
        } else if (!tail.equals("HTTP/1.1")) {
            if (tail.startsWith("HTTP/")) {
                fail(505, "HTTP version not supported: " + tail.substring(5));
            } else {
                fail(400, "the request line names no HTTP version");
            }
        }
    }

    private void fieldStart(int b, long now) {
        if (b == '\r') {
            state = State.HEAD_LF;
        } else if (b == ' ' || b == '\t') {
            fail(400, "obsolete line folding (a header line that starts with whitespace)");
        } else if (!isTchar(b)) {
            fail(400, b == '\n' ? "a header line ends in a bare LF" : "a header name with a character that is not allowed");
        } else if (++fields > MAX_HEADER_FIELDS) {
            fail(431, "more than " + MAX_HEADER_FIELDS + " header fields");
        } else {
            headBytes();
            if (name == null) {
                name = new StringBuilder(24);
            }
            name.setLength(0);
            name.append((char) b);
            state = State.NAME;
        }
    }

    private void name(int b) {
        headBytes();
        if (b == ':') {
            // compared in place: no string per header line on the JSON path
            kept = named("content-length") ? Kept.CONTENT_LENGTH
                    : named("transfer-encoding") ? Kept.TRANSFER_ENCODING
                    : named("connection") ? Kept.CONNECTION : Kept.NONE;
            if (kept != Kept.NONE) {
                if (value == null) {
                    value = new StringBuilder(16);
                }
                value.setLength(0);
            }
            state = State.VALUE;
        } else if (b == ' ' || b == '\t') {
            fail(400, "whitespace between a header name and its colon");
        } else if (!isTchar(b)) {
            fail(400, b == '\n' || b == '\r' ? "a header line without a colon" : "a header name with a character that is not allowed");
        } else if (name.length() < 32) {
            name.append((char) b);
        }
    }

    private boolean named(String lowerCase) {
        if (name.length() != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < lowerCase.length(); i++) {
            if (Character.toLowerCase(name.charAt(i)) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void value(int b) {
        headBytes();
        if (b == '\r') {
            state = State.VALUE_LF;
        } else if (b == '\n') {
            fail(400, "a header line ends in a bare LF");
        } else if (b < 0x20 && b != '\t' || b == 0x7f) {
            fail(400, "a control character in a header value");
        } else if (kept != Kept.NONE) {
            if (value.length() >= MAX_KEPT_VALUE) {
                fail(400, "the value of " + name + " is too long");
            } else {
                value.append((char) b);
            }
        }
    }

    private void headBytes() {
        if (++headBytes > MAX_HEADER_BYTES) {
            fail(431, "the header section is larger than " + MAX_HEADER_BYTES + " bytes");
        }
    }

    private void field() {
        if (kept == Kept.NONE) {
            return;
        }
        String text = value.toString().strip();
        switch (kept) {
            case CONTENT_LENGTH -> {
                if (contentLength >= 0) {
                    fail(400, "Content-Length given more than once");
                } else if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    fail(400, "Content-Length is not a number of bytes: " + printable(text));
                } else {
                    contentLength = Long.parseLong(text);
                }
            }
            case TRANSFER_ENCODING -> {
                if (chunked) {
                    fail(400, "Transfer-Encoding given more than once");
                } else if (text.equalsIgnoreCase("chunked")) {
                    chunked = true;
                } else if (!text.isEmpty() && text.chars().allMatch(c -> isTchar(c) || c == ',' || c == ' ' || c == '\t')) {
                    fail(501, "Transfer-Encoding " + printable(text) + " is not supported (only chunked)");
                } else {
                    fail(400, "Transfer-Encoding is not valid: " + printable(text));
                }
            }
            case CONNECTION -> {
                for (String token : text.split(",")) {
                    String t = token.strip();
                    close |= t.equalsIgnoreCase("close");
                    keepAlive |= t.equalsIgnoreCase("keep-alive");
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private void headEnd(long now) {
        if (chunked && contentLength >= 0) {
            fail(400, "both Transfer-Encoding and Content-Length");
            return;
        }
        if (chunked && http10) {
            fail(400, "Transfer-Encoding in an HTTP/1.0 request");
            return;
        }
        bodyStartedAt = now;
        if (chunked) {
            state = State.CHUNKED_BODY;
            chunkedBody.start();
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.LENGTH_BODY;
        } else {
            complete();
        }
    }

    private void complete() {
        requests++;
        state = (http10 ? !keepAlive : close) ? State.CLOSED : State.START;
    }

    private void expect(boolean ok, int status, String message) {
        if (!ok) {
            fail(status, message);
        }
    }

    private void fail(int status, String message) {
        if (violation == null) {
            violation = new FramingViolation(status, message);
            state = State.FAILED;
        }
    }

    /** Whether {@code c} may be in a token (a header name, RFC 9110 5.6.2). */
    static boolean isTchar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String printable(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "\"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }
}
