package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.stream.StreamId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams this instance is serving right now, so that a stream is written to one client
 * connection at a time: a client that resumes a stream takes it over from the connection that had
 * it, whether that was the original one (the pump stops writing to it and keeps logging) or an
 * earlier resumed one (which is ended). The pump keeps reading upstream while someone follows.
 */
final class LiveStreams {

    private final ConcurrentHashMap<StreamId, StreamPump> pumps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<StreamId, DownstreamPort.Stream> followers = new ConcurrentHashMap<>();

    void register(StreamId id, StreamPump pump) {
        pumps.put(id, pump);
    }

    void unregister(StreamId id, StreamPump pump) {
        pumps.remove(id, pump);
    }

    /**
     * {@code out} takes the stream over. Returns what to call when it stops following.
     */
    Runnable takeOver(StreamId id, DownstreamPort.Stream out) {
        DownstreamPort.Stream previous = followers.put(id, out);
        if (previous != null) {
            previous.close();
        }
        StreamPump pump = pumps.get(id);
        if (pump != null) {
            // follow first: a pump that owes nothing is released the moment nobody attends it
            pump.follow(1);
            pump.detachDownstream();
        }
        return () -> {
            followers.remove(id, out);
            if (pump != null) {
                pump.follow(-1);
            }
        };
    }

    /** Whether this instance is reading the stream's upstream right now. */
    boolean isPumping(StreamId id) {
        return pumps.containsKey(id);
    }

    /** Every pump here {@link StreamPump#yieldTo yields} its stream to {@code successor}; returns how many handed their lease on. */
    int yieldAll(String successor) {
        int handed = 0;
        for (StreamPump pump : pumps.values()) {
            if (pump.yieldTo(successor)) {
                handed++;
            }
        }
        return handed;
    }

    /** The streams clients follow here now (resumed on this instance). */
    java.util.Set<StreamId> followed() {
        return java.util.Set.copyOf(followers.keySet());
    }

    int size() {
        return pumps.size();
    }
}
