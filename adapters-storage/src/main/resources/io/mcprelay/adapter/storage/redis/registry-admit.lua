-- Registers a newly opened stream, unless maxStreams are registered. Returns 1 registered, 0 full.
-- KEYS[1] streams, KEYS[2] complete, KEYS[3] owner, KEYS[4] counter (all in the slot of {prefix:e}).
-- ARGV[1] what precedes a session id in its set's key, ARGV[2] stream id, ARGV[3] session,
-- ARGV[4] max streams, or '' for no limit.
local stream = ARGV[2]
-- The caller just opened a fresh log under this id, so an earlier registration is stale.
local previous = redis.call('HGET', KEYS[3], stream)
if previous then
  redis.call('SREM', ARGV[1] .. previous, stream)
  redis.call('ZREM', KEYS[1], stream)
  redis.call('ZREM', KEYS[2], stream)
  redis.call('HDEL', KEYS[3], stream)
end
if ARGV[4] ~= '' and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
local order = redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[1], order, stream)
redis.call('HSET', KEYS[3], stream, ARGV[3])
redis.call('SADD', ARGV[1] .. ARGV[3], stream)
return 1
