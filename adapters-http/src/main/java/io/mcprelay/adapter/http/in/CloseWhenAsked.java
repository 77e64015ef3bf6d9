package io.mcprelay.adapter.http.in;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Ends the connection after answering a request that asked for it ({@code Connection: close}, or
 * HTTP/1.0 without {@code keep-alive}).
 *
 * <p>Helidon's HTTP/1 connection answers such a request with {@code Connection: close} and then reads
 * on: the socket stayed open, and a body the handler had not read (a refused request) was parsed as
 * the next request, since a closing answer also skips consuming it. Throwing
 * {@link CloseConnectionException} after the answer is the one way a handler ends Helidon's loop.
 */
public final class CloseWhenAsked implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (asksToClose(req)) {
            throw new CloseConnectionException("the request asked to close the connection");
        }
    }

    static boolean asksToClose(RoutingRequest req) {
        if (req.headers().containsToken(HeaderValues.CONNECTION_CLOSE)) {
            return true;
        }
        return "1.0".equals(req.prologue().protocolVersion())
                && !req.headers().containsToken(HeaderValues.create(HeaderNames.CONNECTION, "keep-alive"));
    }
}
