package io.mcprelay.domain.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExchangeOutcomeTest {

    @Test
    void connectFailuresTimeoutsAndServerErrorsCountAsFailures() {
        assertThat(ExchangeOutcome.CONNECT_FAILURE.countsAsFailure()).isTrue();
        assertThat(ExchangeOutcome.TIMEOUT.countsAsFailure()).isTrue();
        assertThat(ExchangeOutcome.SERVER_ERROR.countsAsFailure()).isTrue();
    }

    @Test
    void successesAndClientErrorsDoNotCountAsFailures() {
        assertThat(ExchangeOutcome.SUCCESS.countsAsFailure()).isFalse();
        assertThat(ExchangeOutcome.CLIENT_ERROR.countsAsFailure()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "100, SUCCESS", "200, SUCCESS", "202, SUCCESS", "304, SUCCESS", "399, SUCCESS",
            "400, CLIENT_ERROR", "404, CLIENT_ERROR", "429, CLIENT_ERROR", "499, CLIENT_ERROR",
            "500, SERVER_ERROR", "502, SERVER_ERROR", "503, SERVER_ERROR", "599, SERVER_ERROR"})
    void classifiesStatusCodes(int status, ExchangeOutcome expected) {
        assertThat(ExchangeOutcome.ofStatus(status)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 99, 600, 1000})
    void numbersThatAreNoHttpStatusAreAServerErrorNotAnException(int status) {
        assertThat(ExchangeOutcome.ofStatus(status)).isEqualTo(ExchangeOutcome.SERVER_ERROR);
    }
}
