package io.mcprelay.application.port.out;

import io.mcprelay.domain.limit.RateLimit;
import io.mcprelay.domain.limit.TokenGrant;

/**
 * Where the rate limits' token buckets live: in this process (one instance's own counts), or in a
 * store every instance shares (Redis), so that a limit holds for the whole deployment. One capability:
 * take tokens from one bucket.
 *
 * <p>Called on request threads, concurrently: implementations are thread-safe, and a shared store
 * waits at most its command timeout.
 */
public interface RateLimitPort {

    /**
     * Takes {@code tokens} from the bucket named {@code bucket}, shaped by {@code limit} (a bucket not
     * seen before, or forgotten once full, starts full), if it holds them; else takes nothing.
     * Buckets of different limits never mix, even under one name: a changed limit starts afresh.
     *
     * @throws StoreUnavailableException if the store holding the buckets cannot be reached; the caller
     *                                   decides whether that lets requests through or not
     */
    TokenGrant take(String bucket, RateLimit limit, long tokens);
}
