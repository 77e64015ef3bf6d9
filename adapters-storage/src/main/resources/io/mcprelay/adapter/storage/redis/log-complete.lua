-- Marks the stream ended, renews the TTL and wakes the waiters. Returns -1 when no log lives,
-- 0 when it was complete already, 1 when it just completed, -3 when the lease given is no longer
-- the stream's (nothing changed).
-- KEYS[1] meta, KEYS[2] events (KEYS[3] unused). ARGV[1] TTL in ms, ARGV[2] wake-up channel,
-- ARGV[3] the lease's owner and ARGV[4] its epoch, or '' and '' to complete without a lease.
local state = redis.call('HMGET', KEYS[1], 'complete', 'owner', 'epoch')
local complete = state[1]
if not complete then
  return -1
end
if ARGV[3] ~= '' and (state[2] ~= ARGV[3] or state[3] ~= ARGV[4]) then
  return -3
end
redis.call('HSET', KEYS[1], 'complete', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[2], 'complete')
if complete == '1' then
  return 0
end
return 1
