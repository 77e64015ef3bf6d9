package io.mcprelay.adapter.http.out;

import io.helidon.http.Header;
import io.helidon.webclient.api.HttpClientResponse;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * What the built-in client's {@link ResponseHeadReader} refuses in a response head, checked on an
 * answer Helidon's WebClient has parsed: a status outside 100..599, a {@code 101}, any interim
 * answer (Helidon hands a 1xx over as the final answer instead of skipping it, so the bytes after
 * it would be left on the connection: refused), more than {@value ResponseHeadReader#MAX_HEADERS}
 * header fields, a control character in a header value or the reason phrase, and a transfer coding
 * other than {@code chunked} or next to a {@code Content-Length}.
 */
final class HelidonAnswerChecks {

    private HelidonAnswerChecks() {
    }

    /** @throws UncheckedIOException with an {@link UpstreamProtocolException} saying what is wrong */
    static void check(HttpClientResponse response) {
        int status = response.status().code();
        if (status < 100 || status > 599) {
            throw refused("the upstream answered an invalid status code " + status + " (not 100..599)");
        }
        if (status == 101) {
            throw refused("the upstream switched protocols (101) though the relay asked for none");
        }
        if (status < 200) {
            throw refused("the upstream sent an interim answer (" + status + "), which this client does not skip");
        }
        String reason = response.status().reasonPhrase();
        if (hasControl(reason)) {
            throw refused("the upstream's status line holds a control character");
        }
        if (response.headers().contains(io.helidon.http.HeaderNames.TRANSFER_ENCODING)
                && response.headers().contains(io.helidon.http.HeaderNames.CONTENT_LENGTH)) {
            throw new UncheckedIOException(ResponseHeadReader.bothFramings());
        }
        int fields = 0;
        for (Header header : response.headers()) {
            fields += header.valueCount();
            if (fields > ResponseHeadReader.MAX_HEADERS) {
                throw refused("the upstream's response head has more than " + ResponseHeadReader.MAX_HEADERS + " header fields");
            }
            String name = header.name().toLowerCase(Locale.ROOT);
            for (String value : header.allValues()) {
                int at = controlAt(value);
                if (at >= 0) {
                    throw refused("the upstream's header " + RequestEncoder.printable(name)
                            + " holds a control character (0x" + Integer.toHexString(value.charAt(at)) + ")");
                }
            }
            if (name.equals("transfer-encoding") && !String.join(", ", header.allValues()).strip().equalsIgnoreCase("chunked")) {
                throw refused("the upstream used a transfer coding the relay did not ask for: \""
                        + RequestEncoder.printable(String.join(", ", header.allValues())) + "\"");
            }
        }
    }

    private static boolean hasControl(String text) {
        return text != null && controlAt(text) >= 0;
    }

    /** Where {@code text} has a control character (all but HTAB), or -1. */
    private static int controlAt(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                return i;
            }
        }
        return -1;
    }

    private static UncheckedIOException refused(String message) {
        return new UncheckedIOException(new UpstreamProtocolException(message));
    }
}
