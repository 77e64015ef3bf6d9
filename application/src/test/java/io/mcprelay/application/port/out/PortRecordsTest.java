package io.mcprelay.application.port.out;

import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.TransportEcho;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.session.ProtocolVersion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PortRecordsTest {

    @Test
    void sessionQueryPageSizeIsBounded() {
        assertThat(SessionQuery.firstPage(1).limit()).isEqualTo(1);
        assertThat(SessionQuery.firstPage(SessionQuery.MAX_LIMIT).limit()).isEqualTo(500);
        assertThatThrownBy(() -> SessionQuery.firstPage(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionQuery.firstPage(501)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nextPageKeepsTheFilters() {
        SessionQuery query = new SessionQuery(Optional.of("ab"), Optional.of("primary"), Optional.empty(), 10);

        assertThat(query.after("cursor-1")).isEqualTo(new SessionQuery(Optional.of("ab"), Optional.of("primary"), Optional.of("cursor-1"), 10));
    }

    @Test
    void sessionPageTotalCoversThePage() {
        assertThat(new SessionPage(List.of(), Optional.empty(), 0).total()).isZero();
        assertThatThrownBy(() -> new SessionPage(List.of(io.mcprelay.application.fixtures.SessionTestData.aSession().build()),
                Optional.empty(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHeadWithoutEchoCarriesNone() {
        DownstreamPort.Head head = DownstreamPort.Head.of(Optional.empty());

        assertThat(head.echo()).isSameAs(TransportEcho.NONE);
        assertThatThrownBy(() -> new DownstreamPort.Head(Optional.empty(), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void clientContextCopiesItsValues() {
        Map<String, String> values = new HashMap<>(Map.of("Accept", "application/json"));
        ClientContext context = new ClientContext(values);
        values.clear();

        assertThat(context.values()).containsOnlyKeys("Accept");
    }

    @Test
    void anUpstreamSessionIsOpeningUntilAVersionIsNegotiated() {
        UpstreamTarget target = new UpstreamTarget("u", URI.create("http://u/mcp"));
        UpstreamSession opening = UpstreamSession.opening(target, ClientContext.NONE);
        UpstreamSession established = UpstreamSession.established(target, Optional.empty(), ProtocolVersion.V2025_06_18, ClientContext.NONE);

        assertThat(opening.established()).isFalse();
        assertThat(established.established()).isTrue();
        assertThat(established.withClient(new ClientContext(Map.of("Mcp-X", "1"))).client().values()).containsOnlyKeys("Mcp-X");
    }

    @Test
    void closingAnOtherReplyClosesItsBodyAndOtherRepliesCloseHarmlessly() {
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        java.io.ByteArrayInputStream body = new java.io.ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() throws java.io.IOException {
                closed.set(true);
                throw new java.io.IOException("already gone");
            }
        };

        new UpstreamReply.Other("text/plain", body, "Content-Type text/plain", TransportEcho.NONE).close();
        new UpstreamReply.Accepted(TransportEcho.NONE).close();

        assertThat(closed).isTrue();
    }
}
