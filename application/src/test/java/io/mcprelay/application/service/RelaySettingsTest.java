package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.session.ClientQuota;
import io.mcprelay.domain.session.SessionShare;
import org.junit.jupiter.api.Test;

class RelaySettingsTest {

    @Test
    void defaultsKeepCredentialsAndHold32InitializeEvents() {
        assertThat(RelaySettings.defaults()).isEqualTo(new RelaySettings(new HeaderPolicy(false), 32));
    }

    @Test
    void replayLogsGoWithTheSessionsUnlessSaidOtherwise() {
        assertThat(RelaySettings.defaults().localReplayLogs()).isFalse();
        assertThat(new RelaySettings(new HeaderPolicy(false), 32, SessionShare.defaults(), ClientQuota.defaults()).localReplayLogs()).isFalse();
        assertThat(new RelaySettings(new HeaderPolicy(false), 32, SessionShare.defaults(), ClientQuota.defaults(), true).localReplayLogs()).isTrue();
    }

    @Test
    void refusesHoldingNoEvents() {
        assertThatThrownBy(() -> new RelaySettings(HeaderPolicy.defaults(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelaySettings(null, 1)).isInstanceOf(NullPointerException.class);
    }
}
