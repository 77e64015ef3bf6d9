package io.mcprelay.domain.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientInfoTest {

    @Test
    void clipsOverlongNameAndVersion() {
        ClientInfo client = new ClientInfo("n".repeat(300), "v".repeat(100));

        assertThat(client.name()).hasSize(256);
        assertThat(client.version()).hasSize(64);
    }

    @Test
    void unknownClientHasAName() {
        assertThat(ClientInfo.UNKNOWN.name()).isEqualTo("unknown");
        assertThat(ClientInfo.UNKNOWN.version()).isEmpty();
    }
}
