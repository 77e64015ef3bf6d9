package io.mcprelay.application.service;

import io.mcprelay.domain.stream.StreamId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams this instance is pumping right now, so a client that resumes one here takes it over:
 * the pump stops writing to the old connection (which the client has given up on) and keeps
 * logging, while the resumed connection follows the log. Never two connections for one stream.
 */
final class LiveStreams {

    private final ConcurrentHashMap<StreamId, StreamPump> pumps = new ConcurrentHashMap<>();

    void register(StreamId id, StreamPump pump) {
        pumps.put(id, pump);
    }

    void unregister(StreamId id, StreamPump pump) {
        pumps.remove(id, pump);
    }

    /**
     * A resumed client takes the stream over: the pump, if it is live on this instance, stops writing
     * to the old connection and counts the new follower, so it keeps reading upstream while someone
     * follows. Returns what to call when the follower stops.
     */
    Runnable takeOver(StreamId id) {
        StreamPump pump = pumps.get(id);
        if (pump == null) {
            return () -> { };
        }
        pump.detachDownstream();
        pump.follow(1);
        return () -> pump.follow(-1);
    }

    int size() {
        return pumps.size();
    }
}
