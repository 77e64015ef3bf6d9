package io.mcprelay.adapter.http.auth;

import io.mcprelay.domain.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Tokens already verified, so that a client sending the same token with every request pays for the
 * signature once: keyed by the token's SHA-256 (the token itself is never kept), each entry lives
 * until the token expires or {@code ttl} passes, whichever comes first. Bounded: at most
 * {@code maxEntries}; a full cache is emptied and fills again (only valid tokens enter it, so an
 * attacker cannot fill it with forgeries).
 */
final class VerifiedTokens {

    private record Entry(Principal principal, long expiresAt) { }

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttl;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    VerifiedTokens(Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this.ttl = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    /** The principal of {@code token} if it was verified and has not expired since. */
    Optional<Principal> find(String token) {
        String key = digest(token);
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - entry.expiresAt() >= 0) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.principal());
    }

    /** Remembers that {@code token}, valid for {@code validFor} more, names {@code principal}. */
    void remember(String token, Principal principal, Duration validFor) {
        if (validFor.isNegative() || validFor.isZero()) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(digest(token), new Entry(principal, nanoTime.getAsLong() + Math.min(ttl, validFor.toNanos())));
    }

    int size() {
        return entries.size();
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return java.util.Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
