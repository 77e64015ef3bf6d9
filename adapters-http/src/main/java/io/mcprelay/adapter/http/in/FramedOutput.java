package io.mcprelay.adapter.http.in;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What one {@link RequestFraming#feed feed} passes on to Helidon: the buffer it was given, unchanged,
 * while no byte needed dropping or rewriting; else a copy made as the bytes are read, with the dropped
 * ones left out (a chunked body's size lines, extensions and trailers) and rewritten ones put in.
 * Bytes are "pending" from the last one copied or dropped up to the one being read.
 */
final class FramedOutput {

    private static final byte[] CRLF = {'\r', '\n'};

    private ByteArrayOutputStream out;
    private int copyFrom;

    /** Starts the output of a new buffer. */
    void start() {
        out = null;
        copyFrom = 0;
    }

    /** What to pass on of {@code in} up to {@code end}: {@code in} itself when nothing was changed. */
    byte[] result(byte[] in, int end) {
        if (out == null && copyFrom == 0 && end == in.length) {
            return in;
        }
        pass(in, end);
        byte[] result = out.toByteArray();
        out = null;
        return result;
    }

    /** Leaves {@code in[i]} out of the output. */
    void drop(byte[] in, int i) {
        pass(in, i);
        copyFrom = i + 1;
    }

    /** Leaves out everything of {@code in} from {@code i} on. */
    void dropRest(byte[] in, int i) {
        pass(in, i);
        copyFrom = in.length;
    }

    /** Copies the pending bytes before {@code to} to the output. */
    void pass(byte[] in, int to) {
        if (out == null) {
            out = new ByteArrayOutputStream(in.length + 16);
        }
        if (to > copyFrom) {
            out.write(in, copyFrom, to - copyFrom);
        }
        copyFrom = Math.max(copyFrom, to);
    }

    /** Adds {@code bytes} of its own after what was passed on so far (which must have been once, by a drop or a pass). */
    void emit(byte[] bytes) {
        out.writeBytes(bytes);
    }

    /** Passes {@code run} bytes of chunk data from {@code in[i]} on as one chunk of their own. */
    void chunk(byte[] in, int i, int run) {
        pass(in, i);
        emit((Integer.toHexString(run) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(in, i, run);
        emit(CRLF);
        copyFrom = i + run;
    }
}
