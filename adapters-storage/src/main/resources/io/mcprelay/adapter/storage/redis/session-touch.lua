-- Renews a live session: lastSeenAt = now (never backwards) and the TTL restarts. Returns the
-- session's fields and values, or an empty list when none lives.
-- ARGV[2] TTL in ms, ARGV[3] now as '<epoch seconds>.<nanoseconds>'.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end

local function parse(instant)
  local dot = string.find(instant, '.', 1, true)
  return tonumber(string.sub(instant, 1, dot - 1)), tonumber(string.sub(instant, dot + 1))
end

local seen = redis.call('HGET', KEYS[1], 'lastSeenAt')
local now_s, now_n = parse(ARGV[3])
local seen_s, seen_n = parse(seen)
if now_s > seen_s or (now_s == seen_s and now_n > seen_n) then
  redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[3])
end
local ttl = tonumber(ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl)
local member = redis.call('HGET', KEYS[1], 'ix')
if member then
  redis.call('ZADD', KEYS[3], now_ms() + ttl, member)
end
return redis.call('HGETALL', KEYS[1])
