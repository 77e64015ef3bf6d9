package io.mcprelay.adapter.stdio;

import io.mcprelay.application.port.out.upstream.UpstreamEvent;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One stream of a stdio session as the use cases read it: the messages the router queued for it,
 * each with its cursor ({@code prefix} + its number on the stream), then the end. A request's stream
 * ends normally after its answer; the process ending or a consumer taking over is a break. Closing
 * leaves the stream: a request's is dropped (later messages for it are discarded), the standalone one
 * stays for the next listener.
 */
final class QueuedEvents implements UpstreamEvents {

    private final StreamQueue queue;
    private final long token;
    private final String cursorPrefix;
    private final Runnable onClose;
    private Optional<StreamQueue.Item> first;
    private volatile boolean closed;

    /**
     * @param first   an item already taken from the queue (what told a request's answer from a stream)
     * @param onClose what closing does to the stream (forget a request, release the standalone stream)
     */
    QueuedEvents(StreamQueue queue, long token, String cursorPrefix, Optional<StreamQueue.Item> first, Runnable onClose) {
        this.queue = queue;
        this.token = token;
        this.cursorPrefix = cursorPrefix;
        this.first = first;
        this.onClose = onClose;
    }

    @Override
    public Read next() {
        StreamQueue.Item item;
        if (first.isPresent()) {
            item = first.get();
            first = Optional.empty();
        } else {
            if (closed) {
                return new Read.End();
            }
            try {
                item = queue.take(token);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Read.Broken("interrupted");
            }
        }
        return switch (item) {
            case StreamQueue.Message m -> new Read.Event(new UpstreamEvent(Optional.of(cursorPrefix + m.cursor()), Optional.empty(),
                    new String(m.message().bytes(), StandardCharsets.UTF_8), Optional.empty()));
            case StreamQueue.End end -> switch (end.cause()) {
                case ANSWERED -> new Read.End();
                case REPLACED -> closed ? new Read.End() : new Read.Broken("another client took this stream over");
                case PROCESS_ENDED, OVERFLOW -> closed ? new Read.End() : new Read.Broken(end.detail());
            };
        };
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
