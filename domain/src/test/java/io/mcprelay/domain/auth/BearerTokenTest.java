package io.mcprelay.domain.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenTest {

    @Test
    void readsTheTokenOfABearerHeaderWhateverTheSchemesCase() {
        assertThat(BearerToken.read(Optional.of("Bearer abc.def-ghi_jkl"))).isEqualTo(new BearerToken.Presented.Token("abc.def-ghi_jkl"));
        assertThat(BearerToken.read(Optional.of("bearer a+b/c=="))).isEqualTo(new BearerToken.Presented.Token("a+b/c=="));
    }

    @Test
    void noHeaderOrAnotherSchemeIsNoToken() {
        assertThat(BearerToken.read(Optional.empty())).isInstanceOf(BearerToken.Presented.Absent.class);
        assertThat(BearerToken.read(Optional.of("Basic dXNlcjpwYXNz"))).isInstanceOf(BearerToken.Presented.Absent.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "Bearer a b", "Bearer a\"b", "Bearer a, Bearer b", "Bearer é"})
    void aTokenThatCannotBeOneIsMalformed(String header) {
        assertThat(BearerToken.read(Optional.of(header))).isInstanceOf(BearerToken.Presented.Malformed.class);
    }

    @Test
    void aTokenLongerThanTheBoundIsNeverReadFurther() {
        String huge = "Bearer " + "a".repeat(BearerToken.MAX_LENGTH + 1);
        assertThat(BearerToken.read(Optional.of(huge))).isInstanceOf(BearerToken.Presented.Malformed.class);
        assertThat(BearerToken.read(Optional.of("Bearer " + "a".repeat(BearerToken.MAX_LENGTH))))
                .isInstanceOf(BearerToken.Presented.Token.class);
    }
}
