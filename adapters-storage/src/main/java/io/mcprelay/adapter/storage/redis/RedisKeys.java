package io.mcprelay.adapter.storage.redis;

import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.StreamId;

/**
 * Every key and channel name the Redis stores use, for one key prefix {@code p}.
 *
 * <p>The part in braces is the hash tag: Redis Cluster places keys with the same tag in the same
 * slot, and a script may only touch keys of one slot. So:
 * <ul>
 *   <li>Sessions all share {@code {p:s}}: creating one checks the id, checks the capacity and adds
 *       to the indexes in one script. (A tag per session would spread sessions over a Cluster, but
 *       that create script would then be refused as cross-slot.)
 *       <br>{@code {p:s}:id:<session id>} hash, one session, PEXPIRE = its idle TTL (renewed by touch)
 *       <br>{@code {p:s}:by-created} sorted set, member {@link #indexMember}, score = creation epoch millis
 *       <br>{@code {p:s}:by-expiry} sorted set, the same members, score = when the hash expires (Redis epoch millis)
 *       <br>{@code {p:s}:by-created:owner} hash, member → the session's owner (client key)
 *       <br>{@code {p:s}:by-created:owners} sorted set, member owner, score = its live sessions
 *       <br>{@code {p:s}:by-created:of:<owner>} set of the owner's members</li>
 *   <li>A stream's replay log shares {@code {p:e:<stream id>}}, so logs spread over a Cluster and an
 *       append is one script over its two keys:
 *       <br>{@code {p:e:<stream id>}:meta} hash: session, kind, openedAt, requests, firstSequence, lastSequence,
 *       retainedBytes, complete, upstreamCursor, and the stream's lease: owner (the instance reading
 *       its upstream) and epoch (raised by every claim and take-over); PEXPIRE = the log TTL
 *       <br>{@code {p:e:<stream id>}:events} stream, entry id {@code <sequence>-1}, fields data, weight
 *       and optionally type, upstreamId; the same PEXPIRE
 *       <br>{@code {p:e:<stream id>}:follower} string, the client connection following the stream;
 *       PEXPIRE = the hold</li>
 *   <li>The registry of logs (for {@code maxStreams} and deleting a session's logs) shares {@code {p:e}}:
 *       <br>{@code {p:e}:streams} sorted set, member stream id, score = open order
 *       <br>{@code {p:e}:complete} sorted set, the complete ones among them, same score
 *       <br>{@code {p:e}:owner} hash, stream id → session id
 *       <br>{@code {p:e}:opened} counter handing out the open order
 *       <br>{@code {p:e}:session:<session id>} set of the session's stream ids
 *       <br>None of these expire; entries of expired logs are pruned when the registry is full and by
 *       purgeExpired.</li>
 *   <li>Instances share {@code {p:i}}:
 *       <br>{@code {p:i}:<instance id>} string, exists while the instance is alive; PEXPIRE = the
 *       instance lease ({@code --stream-lease}), renewed every quarter of it</li>
 *   <li>Wake-ups are published on channel {@code p:wake:<stream id>} (channels have no slot).</li>
 *   <li>Each rate limit bucket is one key with a tag of its own, so buckets spread over a Cluster:
 *       <br>{@code {p:l:<rate>:<bucket>}} string, Bucket4j's state of the bucket (e.g.
 *       {@code {p:l:20/1s:principal:session:<id>}}); PEXPIRE = until it would be full again, plus a second</li>
 * </ul>
 */
final class RedisKeys {

    /** Characters before the session id in an index member: six digits and a bar. */
    static final int INDEX_MEMBER_ID_OFFSET = 7;

    private final String prefix;
    private final String sessionTag;
    private final String registryTag;

    RedisKeys(String prefix) {
        this.prefix = prefix;
        this.sessionTag = "{" + prefix + ":s}";
        this.registryTag = "{" + prefix + ":e}";
    }

    // ---- rate limits

    /** The key of rate limit bucket {@code bucket} under the limit described as {@code rate} (a changed limit is a new key). */
    String rateLimitBucket(String rate, String bucket) {
        return "{" + prefix + ":l:" + rate + ":" + bucket + "}";
    }

    // ---- sessions

    /** What precedes a session id in its hash's key; the scripts build keys from it. */
    String sessionKeyPrefix() {
        return sessionTag + ":id:";
    }

    String session(ProxySessionId id) {
        return sessionKeyPrefix() + id.value();
    }

    String sessionsByCreation() {
        return sessionTag + ":by-created";
    }

    String sessionsByExpiry() {
        return sessionTag + ":by-expiry";
    }

    /** The set of the index members of {@code owner}'s sessions (kept by the session scripts). */
    String sessionsOwnedBy(ClientKey owner) {
        return sessionsByCreation() + ":of:" + owner.value();
    }

    /**
     * A session's member in both indexes: its creation time's nanoseconds within the millisecond
     * (six digits) and its id. Redis orders equal scores by the member's bytes, so with the creation
     * millisecond as score the index is in (creation time, id) order, exactly as the port asks.
     */
    static String indexMember(long nanoOfMilli, ProxySessionId id) {
        return "%06d|%s".formatted(nanoOfMilli, id.value());
    }

    // ---- replay logs

    String logMeta(StreamId stream) {
        return "{" + prefix + ":e:" + stream.value() + "}:meta";
    }

    String logEvents(StreamId stream) {
        return "{" + prefix + ":e:" + stream.value() + "}:events";
    }

    String logFollower(StreamId stream) {
        return "{" + prefix + ":e:" + stream.value() + "}:follower";
    }

    String registryStreams() {
        return registryTag + ":streams";
    }

    String registryComplete() {
        return registryTag + ":complete";
    }

    String registryOwner() {
        return registryTag + ":owner";
    }

    String registryCounter() {
        return registryTag + ":opened";
    }

    /** What precedes a session id in the key of its set of streams. */
    String registrySessionPrefix() {
        return registryTag + ":session:";
    }

    String registrySession(ProxySessionId session) {
        return registrySessionPrefix() + session.value();
    }

    // ---- instances

    /** An instance's liveness key: exists while the instance renews it. All share one tag, so several can be read at once. */
    String instanceAlive(String instance) {
        return "{" + prefix + ":i}:" + instance;
    }

    // ---- wake-ups

    String wakeChannel(StreamId stream) {
        return wakeChannelPrefix() + stream.value();
    }

    String wakeChannelPrefix() {
        return prefix + ":wake:";
    }

    String wakePattern() {
        return wakeChannelPrefix() + "*";
    }
}
