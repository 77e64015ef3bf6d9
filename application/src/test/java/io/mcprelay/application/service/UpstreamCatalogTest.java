package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpstreamCatalogTest {

    private static final UpstreamTarget A = new UpstreamTarget("a", URI.create("http://a/mcp"));
    private static final UpstreamTarget B = new UpstreamTarget("b", URI.create("http://b/mcp"));

    @Test
    void picksUpstreamsForNewSessionsInTurn() {
        UpstreamCatalog catalog = new UpstreamCatalog(List.of(A, B));

        assertThat(List.of(catalog.pickForNewSession(), catalog.pickForNewSession(), catalog.pickForNewSession()))
                .extracting(o -> o.orElseThrow().name()).containsExactly("a", "b", "a");
    }

    @Test
    void picksAmongTheUpstreamsNotTriedYet() {
        UpstreamTarget c = new UpstreamTarget("c", URI.create("http://c/mcp"));
        UpstreamCatalog catalog = new UpstreamCatalog(List.of(A, B, c));

        assertThat(catalog.pickForNewSession(Set.of("a")).orElseThrow().name()).isIn("b", "c");
        assertThat(catalog.pickForNewSession(Set.of("a", "c"))).map(UpstreamTarget::name).contains("b");
        assertThat(catalog.pickForNewSession(Set.of("a", "b", "c"))).isEmpty();
    }

    @Test
    void findsUpstreamByName() {
        UpstreamCatalog catalog = new UpstreamCatalog(List.of(A, B));

        assertThat(catalog.byName("b")).contains(B);
        assertThat(catalog.byName("c")).isEmpty();
        assertThat(catalog.all()).containsExactly(A, B);
    }

    @Test
    void refusesEmptyCatalogAndDuplicateNames() {
        assertThatThrownBy(() -> new UpstreamCatalog(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamCatalog(List.of(A, new UpstreamTarget("a", URI.create("http://other/mcp")))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
