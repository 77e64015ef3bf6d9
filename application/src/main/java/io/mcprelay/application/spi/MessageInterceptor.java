package io.mcprelay.application.spi;

import io.mcprelay.domain.intercept.Decision;
import io.mcprelay.domain.intercept.Direction;
import java.util.EnumSet;
import java.util.Set;

/**
 * A code interceptor: sees every message travelling in its {@link #directions()} after the
 * configured rules did, and decides what happens to it.
 *
 * <p>Register an implementation in your own module with
 * {@code provides io.mcprelay.application.spi.MessageInterceptor with your.Interceptor;} and put the
 * module on mcp-relay's module path; it needs a public no-argument constructor or a public static
 * {@code provider()} method. One instance serves every message: {@link #intercept} is called
 * concurrently, on request threads (virtual threads), and must be thread-safe.
 *
 * <p>{@link #intercept} should be quick: it runs on the relay's hot path, between reading a message
 * and forwarding it. To hold a message, return {@link Decision.Delay} rather than sleeping (the relay
 * bounds the delay). An exception thrown here does not break the message: the relay logs it, counts
 * it and lets the message go on unchanged.
 */
public interface MessageInterceptor {

    /** The name shown in the admin API, logs and metrics; defaults to the class name. */
    default String name() {
        return getClass().getName();
    }

    /**
     * The directions this interceptor wants to see; defaults to all. The relay does not decode
     * messages for an interceptor in the others, so naming fewer makes the relay cheaper.
     */
    default Set<Direction> directions() {
        return EnumSet.allOf(Direction.class);
    }

    /**
     * Decides what happens to one message: {@link Decision#CONTINUE} lets it go on;
     * {@link Decision.Modify} replaces it (one JSON-RPC message); {@link Decision.Block} answers a
     * request with that JSON-RPC error without the upstream (and drops a notification);
     * {@link Decision.Mock} answers a request with that result without the upstream;
     * {@link Decision.Delay} holds the message, then lets it go on.
     */
    Decision intercept(InterceptedMessage message);
}
