package io.mcprelay.adapter.http;

import io.mcprelay.application.port.out.upstream.TransportEcho;
import java.util.Map;
import java.util.Objects;

/**
 * What an HTTP upstream said that the relay's HTTP client side reproduces: the status of a relayed
 * answer or error, and the response headers the header policy lets downstream (names in lower
 * case). Made by the upstream adapter ({@code out}), rendered by the inbound one ({@code in}); the
 * use cases carry it unread.
 *
 * @param status  the upstream's HTTP status
 * @param headers the upstream's response headers that may reach the client
 */
public record HttpEcho(int status, Map<String, String> headers) implements TransportEcho {

    public HttpEcho {
        Objects.requireNonNull(headers, "headers");
        headers = Map.copyOf(headers);
    }
}
