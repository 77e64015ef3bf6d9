/**
 * Redis stores (Lettuce): sessions and replay logs shared by every mcp-relay instance that uses the
 * same Redis. Bootstrap builds a {@link io.mcprelay.adapter.storage.redis.RedisConnection} from a
 * {@link io.mcprelay.adapter.storage.redis.RedisConfig} and hands it to both adapters; no Lettuce
 * type appears in a public signature.
 */
package io.mcprelay.adapter.storage.redis;
