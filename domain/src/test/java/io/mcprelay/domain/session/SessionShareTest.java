package io.mcprelay.domain.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SessionShareTest {

    @Test
    void defaultsLeaveMostOfTheUpstreamToOtherSessions() {
        assertThat(SessionShare.defaults()).isEqualTo(new SessionShare(16, 4));
    }

    @Test
    void aShareIsAtLeastOneOfEach() {
        assertThatThrownBy(() -> new SessionShare(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionShare(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
