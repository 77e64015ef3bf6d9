package io.mcprelay.adapter.http.in;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The request id ({@code X-Request-Id}) each request to the MCP endpoint is known by: the client's
 * (or its balancer's) when it sent exactly one that is short and plain, else a new one. The id is
 * returned to the client, sent to the upstream and written to the access log, so a client's value
 * must not be able to break a log line or a header: at most {@value #MAX_LENGTH} characters of
 * letters, digits and {@code - _ . : / + = @ ~}.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /** The id for a request that carried {@code sent} (all its {@code X-Request-Id} values). */
    public static String keepOrMint(List<String> sent) {
        if (sent.size() == 1 && valid(sent.getFirst())) {
            return sent.getFirst();
        }
        return mint();
    }

    /** Whether a client's id is kept as it is. */
    public static boolean valid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_.:/+=@~".indexOf(c) >= 0;
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    /** A new id: 128 random bits in hex (not a secret, only unique). */
    public static String mint() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }
}
