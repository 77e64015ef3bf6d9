package io.mcprelay.application.service;

import io.mcprelay.domain.stream.StreamInfo;
import java.util.Optional;

/** Finds how to re-attach to the upstream of a stream whose reading instance died: its session's upstream. */
@FunctionalInterface
interface StreamReattacher {

    StreamReattacher NONE = stream -> Optional.empty();

    Optional<UpstreamReconnect> forStream(StreamInfo stream);
}
