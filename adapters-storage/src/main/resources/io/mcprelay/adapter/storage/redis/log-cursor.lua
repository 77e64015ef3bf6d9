-- Records the upstream's latest event id on a live, incomplete log and renews its TTL; not when the
-- lease given is no longer the stream's.
-- KEYS[1] meta, KEYS[2] events (KEYS[3] unused). ARGV[1] TTL in ms, ARGV[2] the upstream event id,
-- ARGV[3] the lease's owner and ARGV[4] its epoch, or '' and '' to record without a lease.
local state = redis.call('HMGET', KEYS[1], 'complete', 'owner', 'epoch')
if state[1] ~= '0' then
  return 0
end
if ARGV[3] ~= '' and (state[2] ~= ARGV[3] or state[3] ~= ARGV[4]) then
  return -3
end
redis.call('HSET', KEYS[1], 'upstreamCursor', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
