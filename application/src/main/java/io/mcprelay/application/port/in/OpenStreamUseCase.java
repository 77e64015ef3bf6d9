package io.mcprelay.application.port.in;

import io.mcprelay.application.port.out.DownstreamPort;

/**
 * Serves a GET of the MCP endpoint: without {@code Last-Event-ID}, opens the session's standalone
 * stream (relaying the upstream's GET stream, or 405 when the upstream offers none); with it,
 * resumes exactly the stream that id belongs to, from the replay log, then live until it completes.
 * Blocks until the stream ends or the client goes.
 */
public interface OpenStreamUseCase {

    void open(OpenStreamCommand command, DownstreamPort downstream);
}
