package io.mcprelay.domain.era;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutingValueTest {

    @Test
    void plainAsciiPassesAsItIs() {
        assertThat(RoutingValue.decode("us-west-1")).contains("us-west-1");
        assertThat(RoutingValue.encode("us-west-1")).isEqualTo("us-west-1");
    }

    @Test
    void theSentinelDecodesToUtf8() {
        assertThat(RoutingValue.decode("=?base64?SGVsbG8sIOS4lueVjA==?=")).contains("Hello, 世界");
    }

    @Test
    void valuesThatWouldNotSurviveAsTheyAreAreEncoded() {
        for (String value : new String[] {" padded", "trailing ", "tab\there", "=?base64?abc?=", "", "ünï"}) {
            String encoded = RoutingValue.encode(value);
            assertThat(encoded).startsWith("=?base64?").endsWith("?=");
            assertThat(RoutingValue.decode(encoded)).contains(value);
        }
    }

    @Test
    void aBrokenSentinelOrARawNonAsciiValueIsInvalid() {
        assertThat(RoutingValue.decode("=?base64?not base64!?=")).isEmpty();
        assertThat(RoutingValue.decode("=?base64?/w==?=")).as("0xFF is no UTF-8").isEmpty();
        assertThat(RoutingValue.decode("caf\u00e9")).isEmpty();
        assertThat(RoutingValue.decode("bell\u0007")).isEmpty();
    }

    @Test
    void markersMustBeExactAndLowerCase() {
        assertThat(RoutingValue.decode("=?BASE64?YQ==?=")).contains("=?BASE64?YQ==?=");
        assertThat(RoutingValue.decode("=?base64?")).contains("=?base64?");
    }

    @Test
    void integersCompareAsNumbers() {
        assertThat(RoutingValue.sameInteger("42", "42.0")).isTrue();
        assertThat(RoutingValue.sameInteger("42", "4.2e1")).isTrue();
        assertThat(RoutingValue.sameInteger("-7", "-7")).isTrue();
        assertThat(RoutingValue.sameInteger("42", "43")).isFalse();
        assertThat(RoutingValue.sameInteger("forty-two", "42")).isFalse();
        assertThat(RoutingValue.sameInteger("1" + "0".repeat(80), "1" + "0".repeat(80))).as("over the bound").isFalse();
    }
}
