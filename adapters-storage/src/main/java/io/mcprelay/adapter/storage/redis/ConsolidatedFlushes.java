package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Lets each Redis connection write the commands queued at one moment with one system call, not one
 * each: Lettuce flushes after every command, and thousands of streams (a take-over storm, their
 * appends) queue thousands of commands on one connection, each a socket write of its own otherwise.
 * Netty's {@link FlushConsolidationHandler} defers a flush asked for outside a read to the end of the
 * connection's event-loop turn (and one asked for while replies are read to the end of that read),
 * so every command written in the meantime goes out with it; at most {@value #MAX_HELD} flushes are
 * held. A lone command waits one turn of the event loop, microseconds.
 */
final class ConsolidatedFlushes implements NettyCustomizer {

    /** Flushes held back at most before one goes through at once. */
    static final int MAX_HELD = 256;

    @Override
    public void afterChannelInitialized(Channel channel) {
        channel.pipeline().addFirst("mcp-relay-consolidated-flushes", new FlushConsolidationHandler(MAX_HELD, true));
    }
}
