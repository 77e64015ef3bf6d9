package io.mcprelay.application.service;

import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.stream.StreamId;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Writes one stream's events to its replay log, numbering them itself, so that what a client is
 * sent and what a resume replays never disagree, even while the log's store does not answer.
 *
 * <p>A pump is the only writer of its stream's log (it holds the stream's lease), so it knows the
 * next sequence. Each event gets its sequence, and so its id, before the store confirms it, and is
 * stored with {@link EventLogPort#appendAt}, which stores an event only at the sequence it was given
 * and only after its predecessor. An append the store did not confirm (a Redis that hangs: the
 * command may still run when Redis comes back; or one that is down) stays pending and is tried again
 * before each later event, in order, until the store confirms it or says it already holds it. So an
 * event sent with an id is logged under that id or not at all, no later event is logged before it,
 * and a client resuming from any id it got is replayed exactly what came after.
 *
 * <p>When the log cannot take the events any more (it was dropped by its limits or with its
 * session, or completed), or more than {@value #MAX_PENDING} events (or 4 Mi characters of data)
 * wait for an answer, the writer
 * stops logging: the events from then on go to the client without ids (so none of them is ever both
 * sent without an id and replayed), and a resume from a later id is refused as unknown.
 */
final class StreamLogWriter {

    private static final System.Logger LOG = System.getLogger(StreamLogWriter.class.getName());
    /** Events kept for the store while it does not answer; past this the stream is relayed unlogged. */
    static final int MAX_PENDING = 1_000;
    /** The data those events may hold in all, as for a replay log's default byte limit (4 MiB). */
    static final long MAX_PENDING_CHARS = 4L << 20;

    private final EventLogPort log;
    private final Optional<StreamId> stream;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long pendingChars;
    private long nextSequence = 1;
    private boolean logging;
    /** The stream's lease the appends are made under (fencing), once the pump holds one. */
    private Optional<StreamLeasePort.Lease> lease = Optional.empty();
    private boolean leaseLost;

    StreamLogWriter(EventLogPort log, Optional<StreamId> stream) {
        this.log = log;
        this.stream = stream;
        this.logging = stream.isPresent();
    }

    /** The log already holds events up to {@code lastSequence}: the next one follows it. */
    void continueAfter(long lastSequence) {
        nextSequence = lastSequence + 1;
    }

    /** Appends from now on are made under {@code held}: refused once another instance took the stream over. */
    void holding(StreamLeasePort.Lease held) {
        lease = Optional.of(held);
    }

    /** Whether an append was refused because another instance took the stream over: the pump must stop. */
    boolean leaseLost() {
        return leaseLost;
    }

    /** Whether events are still logged (and sent with ids). */
    boolean logs() {
        return logging;
    }

    /**
     * Gives the event the next sequence and logs it (after any event still pending); returns its
     * sequence. Check {@link #logs()} after: when the log turned out unable to take it, the event goes
     * without an id.
     */
    long log(EventLogPort.Entry entry) {
        long sequence = nextSequence++;
        pending.addLast(new Pending(sequence, entry));
        pendingChars += entry.data().length();
        flush();
        if (pending.size() > MAX_PENDING || pendingChars > MAX_PENDING_CHARS) {
            stop(pending.size() + " events (" + pendingChars + " characters) wait for the log's store, more than it may hold back");
        }
        return sequence;
    }

    /** Tries the pending appends in order, until one is not confirmed. */
    void flush() {
        while (logging && !pending.isEmpty()) {
            Pending next = pending.peekFirst();
            try {
                if (lease.isPresent()) {
                    log.appendAt(stream.orElseThrow(), next.sequence(), lease.get(), next.entry());
                } else {
                    log.appendAt(stream.orElseThrow(), next.sequence(), next.entry());
                }
                pending.removeFirst();
                pendingChars -= next.entry().data().length();
            } catch (StoreUnavailableException e) {
                LOG.log(System.Logger.Level.WARNING, "stream {0}: event {1} not confirmed by the log, kept to try again "
                        + "({2} waiting): {3}", stream.orElseThrow(), next.sequence(), pending.size(), e.getMessage());
                return;
            } catch (EventLogPort.LeaseLostException e) {
                leaseLost = true;
                logging = false;
                pending.clear();
                pendingChars = 0;
                return;
            } catch (IllegalStateException e) {
                stop(e.getMessage());
            }
        }
    }

    private void stop(String why) {
        logging = false;
        pending.clear();
        pendingChars = 0;
        LOG.log(System.Logger.Level.WARNING, "stream {0}: events no longer logged, relayed without ids: {1}",
                stream.map(StreamId::value).orElse("-"), why);
    }

    private record Pending(long sequence, EventLogPort.Entry entry) {
    }
}
