-- Records the upstream's latest event id on a live, incomplete log and renews its TTL.
-- KEYS[1] meta, KEYS[2] events (KEYS[3], KEYS[4] unused). ARGV[1] TTL in ms, ARGV[2] the upstream event id.
local complete = redis.call('HGET', KEYS[1], 'complete')
if complete ~= '0' then
  return 0
end
redis.call('HSET', KEYS[1], 'upstreamCursor', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
