package io.mcprelay.adapter.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.TransportEcho;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every call through the metered port is counted per upstream by what it came to, whatever the
 * transport: successes as {@code ok}, the upstream's judgements on a request as {@code client_error},
 * and each kind of upstream fault under its own name (also in the errors counter).
 */
class MeteredUpstreamTest {

    private static final UpstreamTarget TARGET = new UpstreamTarget("alpha", URI.create("http://127.0.0.1:1/mcp"));
    private static final UpstreamSession SESSION = UpstreamSession.opening(TARGET, ClientContext.NONE);
    private static final UpstreamCall CALL = new UpstreamCall(SESSION, new JsonRpcPayload.Single(
            new JsonRpcMessage.Request(new RequestId.NumericId("1"), "tools/list", McpFacts.NONE)),
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8));

    private final MicrometerMetricsAdapter metrics = new MicrometerMetricsAdapter();
    private final AtomicReference<UpstreamReply> next = new AtomicReference<>();
    private final UpstreamPort upstream = new MeteredUpstream(new UpstreamPort() {
        @Override
        public UpstreamReply send(UpstreamCall call) {
            return next.get();
        }

        @Override
        public UpstreamReply listen(UpstreamSession session) {
            return next.get();
        }

        @Override
        public UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
            return next.get();
        }

        @Override
        public UpstreamReply end(UpstreamSession session) {
            return next.get();
        }
    }, metrics);

    @Test
    void everyReplyIsCountedByWhatItCameTo() {
        answerWith(new UpstreamReply.Answer(new byte[0], Optional.empty(), TransportEcho.NONE));
        upstream.send(CALL);
        answerWith(new UpstreamReply.Events(new NoEvents(), Optional.empty(), TransportEcho.NONE));
        upstream.listen(SESSION).close();
        answerWith(new UpstreamReply.Accepted(TransportEcho.NONE));
        upstream.resume(SESSION, "cursor-1", UpstreamPort.Budget.REQUEST);
        answerWith(new UpstreamReply.Other("text/plain", new ByteArrayInputStream(new byte[0]), "text", TransportEcho.NONE));
        upstream.end(SESSION).close();
        answerWith(new UpstreamReply.Refused(Optional.empty(), "HTTP 403", false, TransportEcho.NONE));
        upstream.send(CALL);
        answerWith(new UpstreamReply.SessionGone("HTTP 404"));
        upstream.send(CALL);
        answerWith(new UpstreamReply.NoStream("HTTP 405"));
        upstream.listen(SESSION);
        answerWith(new UpstreamReply.Refused(Optional.empty(), "HTTP 500", true, TransportEcho.NONE));
        upstream.send(CALL);
        for (UpstreamReply.Unreachable.Cause cause : UpstreamReply.Unreachable.Cause.values()) {
            answerWith(new UpstreamReply.Unreachable(cause, "why"));
            upstream.send(CALL);
        }

        String scrape = metrics.scrape();
        assertThat(scrape).contains(
                "mcp_relay_upstream_requests_total{outcome=\"ok\",upstream=\"alpha\"} 4.0",
                "mcp_relay_upstream_requests_total{outcome=\"client_error\",upstream=\"alpha\"} 3.0",
                "mcp_relay_upstream_requests_total{outcome=\"server_error\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_errors_total{kind=\"unreachable\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_errors_total{kind=\"dropped\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_errors_total{kind=\"timeout\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_errors_total{kind=\"protocol\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_errors_total{kind=\"saturated\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_errors_total{kind=\"credentials_unavailable\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_errors_total{kind=\"credentials_refused\",upstream=\"alpha\"} 1.0",
                "mcp_relay_upstream_request_seconds_count{upstream=\"alpha\"} 15");
        assertThat(scrape).doesNotContain("mcp_relay_upstream_errors_total{kind=\"client_error\"");
    }

    @Test
    void aCallThatThrowsIsCountedAsUnreachable() {
        UpstreamPort failing = new MeteredUpstream(new UpstreamPort() {
            @Override
            public UpstreamReply send(UpstreamCall call) {
                throw new IllegalStateException("adapter bug");
            }

            @Override
            public UpstreamReply listen(UpstreamSession session) {
                throw new IllegalStateException("adapter bug");
            }

            @Override
            public UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
                throw new IllegalStateException("adapter bug");
            }

            @Override
            public UpstreamReply end(UpstreamSession session) {
                throw new IllegalStateException("adapter bug");
            }
        }, metrics);

        assertThatThrownBy(() -> failing.send(CALL)).as("the failure goes on to the caller").isInstanceOf(IllegalStateException.class);

        assertThat(metrics.scrape()).contains("mcp_relay_upstream_requests_total{outcome=\"unreachable\",upstream=\"alpha\"} 1.0");
    }

    private void answerWith(UpstreamReply reply) {
        next.set(reply);
    }

    private static final class NoEvents implements UpstreamEvents {
        @Override
        public Read next() {
            return new Read.End();
        }

        @Override
        public void close() {
        }
    }
}
