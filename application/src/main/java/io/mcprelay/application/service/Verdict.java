package io.mcprelay.application.service;

import java.util.Optional;

/** What the interceptors decided for one message. */
sealed interface Verdict {

    /** Go on unchanged. */
    Verdict UNCHANGED = new Pass(Optional.empty());
    /** Go no further: a notification, or a request travelling towards the client, that was blocked. */
    Verdict DROP = new Drop();

    /** Go on: as it was, or as {@code replaced} (one JSON-RPC message). */
    record Pass(Optional<String> replaced) implements Verdict {
    }

    /** A client's request answered here, without the upstream: {@code json} is the JSON-RPC response. */
    record Answer(String json) implements Verdict {
    }

    /** Go no further. */
    record Drop() implements Verdict {
    }
}
