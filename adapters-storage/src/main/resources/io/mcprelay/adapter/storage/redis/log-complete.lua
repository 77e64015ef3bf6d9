-- Marks the stream ended, renews the TTL and wakes the waiters. Returns -1 when no log lives,
-- 0 when it was complete already, 1 when it just completed.
-- KEYS[1] meta, KEYS[2] events (KEYS[3], KEYS[4] unused). ARGV[1] TTL in ms, ARGV[2] wake-up channel.
local complete = redis.call('HGET', KEYS[1], 'complete')
if not complete then
  return -1
end
redis.call('HSET', KEYS[1], 'complete', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[2], 'complete')
if complete == '1' then
  return 0
end
return 1
