package io.mcprelay.adapter.http.out;

import io.mcprelay.adapter.http.HttpEcho;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.access.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an HTTP answer means in MCP (Streamable HTTP, BRIEF §4): the only place that reads an
 * upstream's status for the relay's decisions. 404 to a request in an established session: the
 * session is gone. 405 to the standalone GET: no stream offered. A non-2xx answer otherwise is a
 * refusal, with the upstream's JSON-RPC error when it sent JSON; 5xx is the upstream's fault. What
 * the client's side reproduces (status, the response headers the header policy lets downstream)
 * goes in an {@link HttpEcho}.
 */
final class McpReplies {

    /** The request an answer is to: what "not found" and "not allowed" mean depends on it. */
    enum Purpose { SEND, LISTEN, RESUME, END }

    /** The downstream rule does not depend on the credentials setting: any policy's is the policy's. */
    private static final HeaderPolicy POLICY = HeaderPolicy.defaults();
    private static final int NOT_FOUND = 404;
    private static final int METHOD_NOT_ALLOWED = 405;

    private McpReplies() {
    }

    static UpstreamReply of(HttpAnswer answer, Purpose purpose, UpstreamSession session) {
        return switch (answer) {
            case HttpAnswer.Unreachable unreachable -> unreachable.reply();
            case HttpAnswer.Json json -> new UpstreamReply.Answer(json.body(), json.headers().sessionId(), echo(json.status(), json.headers()));
            case HttpAnswer.EventStream stream -> new UpstreamReply.Events(stream.events(), stream.headers().sessionId(),
                    echo(stream.status(), stream.headers()));
            case HttpAnswer.Accepted accepted -> new UpstreamReply.Accepted(echo(accepted.status(), accepted.headers()));
            case HttpAnswer.Passthrough other -> new UpstreamReply.Other(other.contentType(), other.body(),
                    describe(other.contentType()) + ", neither " + MediaTypes.JSON + " nor " + MediaTypes.EVENT_STREAM,
                    echo(other.status(), other.headers()));
            case HttpAnswer.Failed failed -> failure(failed, purpose, session);
        };
    }

    private static UpstreamReply failure(HttpAnswer.Failed failed, Purpose purpose, UpstreamSession session) {
        int status = failed.status();
        boolean fault = status < 100 || status >= 500;
        if (status == NOT_FOUND && session.established()) {
            return new UpstreamReply.SessionGone("HTTP " + status);
        }
        if (purpose == Purpose.LISTEN) {
            if (status == METHOD_NOT_ALLOWED) {
                return new UpstreamReply.NoStream("HTTP " + status);
            }
            // a refused GET is relayed with its status only: none of its headers
            boolean relayed = MediaTypes.isJson(failed.contentType()) && !fault;
            return new UpstreamReply.Refused(relayed ? Optional.of(failed.body()) : Optional.empty(), "GET with HTTP " + status, fault,
                    new HttpEcho(status, Map.of()));
        }
        HttpEcho echo = echo(status, failed.headers());
        if (MediaTypes.isJson(failed.contentType()) && failed.body().length > 0) {
            return new UpstreamReply.Refused(Optional.of(failed.body()), "HTTP " + status, fault, echo);
        }
        if (fault) {
            return new UpstreamReply.Refused(Optional.empty(), "HTTP " + status, true, echo);
        }
        String text = new String(failed.body(), StandardCharsets.UTF_8).strip();
        return new UpstreamReply.Refused(Optional.empty(), "HTTP " + status + (text.isEmpty() ? "" : ": " + clip(text)), false, echo);
    }

    /** The status, and the upstream's response headers the header policy lets through to the client. */
    static HttpEcho echo(int status, HttpAnswer.Headers headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.values().forEach((name, value) -> {
            if (POLICY.forwardsDownstream(name)) {
                out.put(name.toLowerCase(Locale.ROOT), value);
            }
        });
        return new HttpEcho(status, out);
    }

    private static String describe(String contentType) {
        return contentType.isBlank() ? "no Content-Type" : "Content-Type " + clip(contentType);
    }

    private static String clip(String text) {
        String printable = text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", "?");
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }
}
