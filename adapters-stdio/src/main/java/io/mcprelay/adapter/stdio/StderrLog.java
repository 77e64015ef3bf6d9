package io.mcprelay.adapter.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * Sends a process's stderr to the relay's log, one entry per line, tagged with the upstream and the
 * relay session. stderr is free-form logging for an MCP server, so the lines go out at INFO, at most
 * {@code linesPerSecond} of them a second: a server that floods stderr cannot flood the relay's log.
 * Once a second passes, the number of lines left out is logged ("suppressed K lines"). Lines are
 * bounded like stdout's; a longer one is cut.
 */
final class StderrLog {

    private static final Logger LOG = System.getLogger("io.mcprelay.adapter.stdio.stderr");
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final String tag;
    private final int linesPerSecond;
    private final LongSupplier nanoClock;
    private final LineSink sink;
    private long windowStart;
    private int inWindow;
    private long suppressed;
    private String lastLine = "";

    /** Where the lines end up; the log in production, a list in tests. */
    interface LineSink {
        void log(String message);
    }

    StderrLog(String upstream, String session, int linesPerSecond, LongSupplier nanoClock, LineSink sink) {
        this.tag = "upstream " + upstream + " session " + session + " stderr: ";
        this.linesPerSecond = linesPerSecond;
        this.nanoClock = nanoClock;
        this.sink = sink;
        this.windowStart = nanoClock.getAsLong();
    }

    static StderrLog toSystemLog(String upstream, String session, int linesPerSecond) {
        return new StderrLog(upstream, session, linesPerSecond, System::nanoTime, m -> LOG.log(Level.INFO, m));
    }

    /** Reads stderr to its end; returns when the process closed it. */
    void pump(InputStream stderr, int maxLineBytes) {
        LineReader lines = new LineReader(stderr, maxLineBytes);
        while (true) {
            try {
                byte[] line = lines.next();
                if (line == null) {
                    break;
                }
                accept(new String(line, StandardCharsets.UTF_8));
            } catch (LineReader.LineTooLongException e) {
                accept("(a line over " + maxLineBytes + " bytes, left out)");
            } catch (IOException e) {
                break;
            }
        }
        flushSuppressed();
    }

    /** One line of stderr: logged, or counted if this second's share is used up. */
    synchronized void accept(String line) {
        lastLine = line;
        long now = nanoClock.getAsLong();
        if (now - windowStart >= SECOND_NANOS) {
            flushSuppressed();
            windowStart = now;
            inWindow = 0;
        }
        if (inWindow < linesPerSecond) {
            inWindow++;
            sink.log(tag + line);
        } else {
            suppressed++;
        }
    }

    /** The last line the process wrote on stderr, for an error that says why it failed to start. */
    synchronized String lastLine() {
        return lastLine;
    }

    private synchronized void flushSuppressed() {
        if (suppressed > 0) {
            sink.log(tag + "(suppressed " + suppressed + " lines)");
            suppressed = 0;
        }
    }
}
