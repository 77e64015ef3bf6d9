-- Creates a session unless its id is taken or the store is full. Returns 0 created, 1 id taken,
-- 2 capacity reached.
-- ARGV[2] max sessions, ARGV[3] TTL in ms, ARGV[4] index member, ARGV[5] creation score (epoch ms),
-- ARGV[6] the owner's key, ARGV[7..] the hash's fields and values.
prune(128)
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 1
end
local max = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[2]) >= max then
  prune(nil)
  if redis.call('ZCARD', KEYS[2]) >= max then
    return 2
  end
end
local member = ARGV[4]
local ttl = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], unpack(ARGV, 7))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], ARGV[5], member)
redis.call('ZADD', KEYS[3], now_ms() + ttl, member)
add_owner(member, ARGV[6])
return 0
