package io.mcprelay.adapter.http.out;

import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;

/**
 * An upstream event stream read from an open Helidon response, one event per {@link #next()}. The
 * response and its place in the upstream's pool are released once, by {@link #close()}, or as soon
 * as the stream ends or breaks.
 *
 * <p>A body with neither {@code Content-Length} nor chunked encoding ends when the upstream closes the
 * connection (HTTP/1.1 allows that): Helidon reports that close as missing data, but it is the
 * stream's proper end, not a break. In a framed body the same close is a break.
 */
final class HelidonEventSource extends ParsedEventSource {

    private final HttpClientResponse response;
    private final PoolPlace lease;
    private final boolean endsWithTheConnection;

    HelidonEventSource(HttpClientResponse response, int maxEventBytes, PoolPlace lease) {
        super(response.inputStream(), maxEventBytes);
        this.response = response;
        this.lease = lease;
        this.endsWithTheConnection = response.headers().contentLength().isEmpty()
                && !response.headers().contains(HeaderValues.TRANSFER_ENCODING_CHUNKED);
    }

    @Override
    boolean isProperEnd(Exception failure) {
        return endsWithTheConnection && UpstreamFailures.isClosedEarly(failure);
    }

    @Override
    void release() {
        try {
            response.close();
        } finally {
            lease.close();
        }
    }
}
