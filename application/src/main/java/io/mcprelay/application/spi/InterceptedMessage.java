package io.mcprelay.application.spi;

import io.mcprelay.domain.intercept.MessageFacts;
import java.util.Objects;

/**
 * One JSON-RPC message as a code interceptor sees it.
 *
 * @param facts what the relay knows about it: direction, method (for a response, the method of the
 *              request it answers), tool name, session, upstream
 * @param json  the message, one JSON object (UTF-8 text): a batch is shown message by message; when
 *              an earlier rule or interceptor modified it, its modified form
 */
public record InterceptedMessage(MessageFacts facts, String json) {

    public InterceptedMessage {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(json, "json");
    }
}
