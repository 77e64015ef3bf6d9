package io.mcprelay.examples.interceptor;

import io.mcprelay.application.spi.InterceptedMessage;
import io.mcprelay.application.spi.MessageInterceptor;
import io.mcprelay.domain.intercept.Decision;
import io.mcprelay.domain.intercept.Direction;
import java.util.EnumSet;
import java.util.Set;

/**
 * Refuses {@code tools/call} requests for tools named {@code trigger-*} (tools that set something
 * off rather than answer a question), with a JSON-RPC error and without calling the upstream.
 * Everything else goes on unchanged.
 *
 * <p>It looks at requests only, so the relay does not decode responses or events on its behalf, and
 * it decides from the message's facts alone, without parsing its JSON.
 */
public final class DenyTriggerToolsInterceptor implements MessageInterceptor {

    /** The JSON-RPC error code of a refused call, in the server-defined range. */
    public static final int REFUSED = -32042;
    private static final String PREFIX = "trigger-";

    @Override
    public String name() {
        return "deny-trigger-tools";
    }

    @Override
    public Set<Direction> directions() {
        return EnumSet.of(Direction.REQUEST);
    }

    @Override
    public Decision intercept(InterceptedMessage message) {
        boolean call = message.facts().method().filter("tools/call"::equals).isPresent();
        String tool = message.facts().tool().orElse("");
        if (call && tool.startsWith(PREFIX)) {
            return new Decision.Block(REFUSED, "Tool " + tool + " is refused by the deny-trigger-tools interceptor");
        }
        return Decision.CONTINUE;
    }
}
