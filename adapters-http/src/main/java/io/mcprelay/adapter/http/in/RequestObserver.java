package io.mcprelay.adapter.http.in;

/** Told of every request to the MCP endpoint once it is answered (a stream: once it ended): the access log, the request metrics. */
@FunctionalInterface
public interface RequestObserver {

    RequestObserver NONE = record -> { };

    /** Called on the request's thread; must not block and must not throw. */
    void completed(RequestRecord record);

    /** This observer, then {@code next}. */
    default RequestObserver andThen(RequestObserver next) {
        return record -> {
            completed(record);
            next.completed(record);
        };
    }
}
