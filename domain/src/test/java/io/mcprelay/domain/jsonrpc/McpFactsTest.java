package io.mcprelay.domain.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class McpFactsTest {

    @Test
    void treatsNullOptionalsAsEmpty() {
        McpFacts facts = new McpFacts(null, null, null, null);

        assertThat(facts).isEqualTo(McpFacts.NONE);
    }

    @Test
    void keepsFactsGiven() {
        McpFacts facts = new McpFacts(Optional.of("2025-06-18"), Optional.of("c"), Optional.of("1"), Optional.of("echo"));

        assertThat(facts.protocolVersion()).contains("2025-06-18");
        assertThat(facts.clientName()).contains("c");
        assertThat(facts.clientVersion()).contains("1");
        assertThat(facts.toolName()).contains("echo");
    }
}
