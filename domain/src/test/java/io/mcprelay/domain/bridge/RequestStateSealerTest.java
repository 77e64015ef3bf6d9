package io.mcprelay.domain.bridge;

import static io.mcprelay.domain.bridge.JsonText.parseObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.bridge.RequestStateSealer.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RequestStateSealerTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant EXPIRY = NOW.plus(Duration.ofMinutes(5));
    private static final JsonValue.Obj PARAMS = parseObject("{\"name\":\"trigger-elicitation-request\",\"arguments\":{\"a\":1}}");

    private final RequestStateSealer sealer = new RequestStateSealer(KEY, "instance-a");

    @Test
    void aTokenVerifiesForItsCallPrincipalAndInstance() {
        String token = sealer.seal("alice", EXPIRY, "tools/call", PARAMS, "park-1");

        Verification verification = sealer.verify(token, "alice", NOW, "tools/call", PARAMS);

        assertThat(verification).isEqualTo(new Verification.Valid(new RequestStateSealer.Claims(
                "instance-a", "alice", EXPIRY.toEpochMilli(), RequestStateSealer.digest("tools/call", PARAMS), "park-1")));
    }

    @Test
    void theRetrysAdditionsDoNotChangeTheCall() {
        String token = sealer.seal("alice", EXPIRY, "tools/call", PARAMS, "park-1");
        JsonValue.Obj retry = parseObject("""
                {"arguments":{"a":1.0},"name":"trigger-elicitation-request","inputResponses":{"q1":{}},"requestState":"x",
                 "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}""");
        assertThat(sealer.verify(token, "alice", NOW, "tools/call", retry)).isInstanceOf(Verification.Valid.class);
    }

    @Test
    void aTokenSealedElsewhereNamesItsInstanceUnverifiedForTheRefusalOnly() {
        RequestStateSealer other = new RequestStateSealer("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII), "instance-b");
        String token = other.seal("alice", EXPIRY, "tools/call", PARAMS, "park-1");

        assertThat(rejection(sealer.verify(token, "alice", NOW, "tools/call", PARAMS))).contains("signature");
        assertThat(RequestStateSealer.claimedInstance(token)).contains("instance-b");
        assertThat(other.instanceId()).isEqualTo("instance-b");
        assertThat(RequestStateSealer.claimedInstance("no-dot")).isEmpty();
        assertThat(RequestStateSealer.claimedInstance("!!!.x")).isEmpty();
        assertThat(RequestStateSealer.claimedInstance("e30.x")).isEmpty(); // {} has no claims
    }

    @Test
    void rejectsAnotherPrincipalAnExpiredTokenAndAnotherCall() {
        String token = sealer.seal("alice", EXPIRY, "tools/call", PARAMS, "park-1");
        assertThat(rejection(sealer.verify(token, "bob", NOW, "tools/call", PARAMS))).contains("another principal");
        assertThat(rejection(sealer.verify(token, "alice", EXPIRY, "tools/call", PARAMS))).contains("expired");
        assertThat(rejection(sealer.verify(token, "alice", NOW, "prompts/get", PARAMS))).contains("another call");
        assertThat(rejection(sealer.verify(token, "alice", NOW, "tools/call", PARAMS.with("arguments", JsonValue.Obj.EMPTY))))
                .contains("another call");
    }

    @Test
    void rejectsTamperingAndForgery() {
        String token = sealer.seal("alice", EXPIRY, "tools/call", PARAMS, "park-1");
        String payload = token.substring(0, token.indexOf('.'));
        String claims = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        String forgedPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.replace("alice", "mallory").getBytes(StandardCharsets.UTF_8));
        String tampered = forgedPayload + token.substring(token.indexOf('.'));
        assertThat(rejection(sealer.verify(tampered, "mallory", NOW, "tools/call", PARAMS))).contains("signature");

        RequestStateSealer otherKey = new RequestStateSealer("another key of thirty-two bytes!".getBytes(StandardCharsets.US_ASCII), "instance-a");
        assertThat(rejection(otherKey.verify(token, "alice", NOW, "tools/call", PARAMS))).contains("signature");

        assertThat(rejection(sealer.verify("no-dot", "alice", NOW, "tools/call", PARAMS))).contains("not a requestState token");
        assertThat(rejection(sealer.verify("a.b.c", "alice", NOW, "tools/call", PARAMS))).contains("not a requestState token");
        assertThat(rejection(sealer.verify(payload + ".!!!", "alice", NOW, "tools/call", PARAMS))).contains("not a requestState token");
    }

    @Test
    void rejectsSignedClaimsItCannotRead() {
        for (String claims : new String[] {"not json", "{\"i\":\"instance-a\"}", "{\"i\":\"instance-a\",\"p\":\"alice\",\"e\":\"soon\",\"d\":\"x\",\"k\":\"y\"}"}) {
            String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            String signedByUs = payload + "." + signatureOf(payload);
            assertThat(rejection(sealer.verify(signedByUs, "alice", NOW, "tools/call", PARAMS))).contains("unreadable");
        }
    }

    @Test
    void aTokenOfAnotherInstanceIsGenuineButNotOurs() {
        RequestStateSealer instanceB = new RequestStateSealer(KEY, "instance-b");
        String token = instanceB.seal("alice", EXPIRY, "tools/call", PARAMS, "park-9");
        Verification verification = sealer.verify(token, "alice", NOW, "tools/call", PARAMS);
        assertThat(verification).isInstanceOf(Verification.OtherInstance.class);
        assertThat(((Verification.OtherInstance) verification).claims().instanceId()).isEqualTo("instance-b");
    }

    @Test
    void refusesAShortKeyAndKeepsItsOwnCopy() {
        assertThatThrownBy(() -> new RequestStateSealer(new byte[31], "i")).isInstanceOf(IllegalArgumentException.class);
        byte[] key = KEY.clone();
        RequestStateSealer copying = new RequestStateSealer(key, "instance-a");
        String token = copying.seal("alice", EXPIRY, "tools/call", PARAMS, "p");
        key[0] ^= 1;
        assertThat(copying.verify(token, "alice", NOW, "tools/call", PARAMS)).isInstanceOf(Verification.Valid.class);
    }

    @Test
    void theHmacMatchesRfc4231() {
        // RFC 4231 test case 2 (short key) and 6 (key longer than the block)
        assertThat(java.util.HexFormat.of().formatHex(RequestStateSealer.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        byte[] longKey = new byte[131];
        java.util.Arrays.fill(longKey, (byte) 0xaa);
        assertThat(java.util.HexFormat.of().formatHex(RequestStateSealer.hmacSha256(longKey,
                "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    private static String rejection(Verification verification) {
        assertThat(verification).isInstanceOf(Verification.Rejected.class);
        return ((Verification.Rejected) verification).reason();
    }

    /** Signs with the test key the way the sealer does, to reach the claim checks behind the signature. */
    private static String signatureOf(String payload) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
