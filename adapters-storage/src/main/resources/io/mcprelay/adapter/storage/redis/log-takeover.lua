-- Moves the lease of a live, incomplete log from ARGV[2] (epoch ARGV[3]) to ARGV[1] under a new epoch,
-- if that is still the lease. Returns the new epoch, 0 when no log lives or it is complete, -1 when
-- the lease is no longer the one given (someone took it over first).
-- KEYS[1] meta (KEYS[2], KEYS[3] unused).
local state = redis.call('HMGET', KEYS[1], 'complete', 'owner', 'epoch')
if not state[1] or state[1] == '1' then
  return 0
end
if state[2] ~= ARGV[2] or state[3] ~= ARGV[3] then
  return -1
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
return redis.call('HINCRBY', KEYS[1], 'epoch', 1)
