package io.mcprelay.domain.bridge;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and verifies the {@code requestState} token bridge (b) hands a modern client with an
 * {@code input_required} result. The client echoes it on its retry, so it is attacker input: the token is
 * integrity-protected (HMAC-SHA256 under a key every instance shares), names the instance that parked the
 * upstream stream, binds the principal, an expiry and a digest of the call's method and params, and names the
 * parked call. Format: {@code base64url(claims JSON) "." base64url(HMAC)}.
 */
public final class RequestStateSealer {

    /** The shortest key accepted, in bytes. */
    public static final int MIN_KEY_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

    private final byte[] key;
    private final String instanceId;

    /**
     * @param key        the shared secret (at least {@link #MIN_KEY_BYTES} bytes; copied)
     * @param instanceId this instance's id, put in the tokens it seals
     */
    public RequestStateSealer(byte[] key, String instanceId) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the requestState key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = key.clone();
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    }

    /** What a token says. */
    public record Claims(String instanceId, String principal, long expiresAtEpochMilli, String digest, String parkId) {
        public Claims {
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(parkId, "parkId");
        }
    }

    /** The outcome of {@link #verify}. */
    public sealed interface Verification {
        /** Sealed by this instance for this principal, not expired, for this call. */
        record Valid(Claims claims) implements Verification {
        }

        /** Genuine and for this call, but the call is parked on another instance (a hand-off, or a failure). */
        record OtherInstance(Claims claims) implements Verification {
        }

        /** Forged, tampered with, expired, for another principal or for another call. */
        record Rejected(String reason) implements Verification {
        }
    }

    /** A token for the call {@code method}/{@code params} parked as {@code parkId}, for {@code principal}, valid until {@code expiresAt}. */
    public String seal(String principal, Instant expiresAt, String method, JsonValue.Obj params, String parkId) {
        JsonValue.Obj claims = JsonValue.obj(
                "i", JsonValue.str(instanceId),
                "p", JsonValue.str(principal),
                "e", JsonValue.Num.of(expiresAt.toEpochMilli()),
                "d", JsonValue.str(digest(method, params)),
                "k", JsonValue.str(parkId));
        String payload = B64.encodeToString(JsonText.write(claims, true).getBytes(StandardCharsets.UTF_8));
        return payload + "." + B64.encodeToString(mac(payload));
    }

    /** Checks {@code token} for a retry of {@code method}/{@code params} by {@code principal} at {@code now}. */
    public Verification verify(String token, String principal, Instant now, String method, JsonValue.Obj params) {
        int dot = token.indexOf('.');
        if (dot < 0 || dot != token.lastIndexOf('.')) {
            return new Verification.Rejected("not a requestState token");
        }
        String payload = token.substring(0, dot);
        byte[] signature;
        try {
            signature = B64_DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException notBase64) {
            return new Verification.Rejected("not a requestState token");
        }
        if (!MessageDigest.isEqual(mac(payload), signature)) {
            return new Verification.Rejected("the requestState token's signature does not match");
        }
        Optional<Claims> read = claims(payload);
        if (read.isEmpty()) {
            return new Verification.Rejected("the requestState token's claims are unreadable");
        }
        Claims claims = read.get();
        if (!claims.principal().equals(principal)) {
            return new Verification.Rejected("the requestState token belongs to another principal");
        }
        if (now.toEpochMilli() >= claims.expiresAtEpochMilli()) {
            return new Verification.Rejected("the requestState token has expired");
        }
        if (!claims.digest().equals(digest(method, params))) {
            return new Verification.Rejected("the requestState token is for another call");
        }
        return claims.instanceId().equals(instanceId) ? new Verification.Valid(claims) : new Verification.OtherInstance(claims);
    }

    /**
     * The instance {@code token} claims to come from, <em>unverified</em>: only to word a refusal (a token another
     * instance sealed under its own key fails {@link #verify} on its signature, and the client should learn that its
     * retry reached the wrong instance rather than that its token is forged). Empty if the token is unreadable.
     */
    public static Optional<String> claimedInstance(String token) {
        int dot = token.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        return claims(token.substring(0, dot)).map(Claims::instanceId);
    }

    /** The instance id this sealer puts in its tokens. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * The SHA-256 (hex) of the call: its method and params in canonical JSON, without {@code _meta} (the per-request
     * envelope), {@code inputResponses} and {@code requestState}, which a retry adds to the original params.
     */
    public static String digest(String method, JsonValue.Obj params) {
        JsonValue.Obj call = JsonValue.obj("method", JsonValue.str(method),
                "params", params.without("_meta", "inputResponses", "requestState"));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(JsonText.write(call, true).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static Optional<Claims> claims(String payload) {
        try {
            JsonValue.Obj claims = JsonText.parseObject(new String(B64_DECODER.decode(payload), StandardCharsets.UTF_8));
            JsonValue expiry = claims.get("e").orElseThrow();
            return Optional.of(new Claims(claims.str("i").orElseThrow(), claims.str("p").orElseThrow(),
                    ((JsonValue.Num) expiry).value().longValueExact(), claims.str("d").orElseThrow(), claims.str("k").orElseThrow()));
        } catch (IllegalArgumentException | NoSuchElementException | ClassCastException | ArithmeticException unreadable) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        return hmacSha256(key, payload.getBytes(StandardCharsets.US_ASCII));
    }

    /** HMAC-SHA256 (RFC 2104) by the JDK's {@code javax.crypto.Mac}, part of {@code java.base} like the rest of the domain's imports. */
    static byte[] hmacSha256(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
