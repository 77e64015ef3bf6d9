package io.mcprelay.application.port.out;

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
    void headCopiesItsHeaders() {
        Map<String, String> headers = new HashMap<>(Map.of("mcp-x", "1"));
        DownstreamPort.Head head = new DownstreamPort.Head(Optional.empty(), headers);
        headers.put("mcp-y", "2");

        assertThat(head.headers()).containsOnlyKeys("mcp-x");
    }

    @Test
    void upstreamRequestCopiesItsHeaders() {
        Map<String, String> headers = new HashMap<>(Map.of("Accept", "application/json"));
        UpstreamRequest request = new UpstreamRequest(new UpstreamTarget("u", URI.create("http://u/mcp")), UpstreamRequest.Method.GET,
                headers, Optional.empty(), new byte[0]);
        headers.clear();

        assertThat(request.headers()).containsOnlyKeys("Accept");
    }
}
