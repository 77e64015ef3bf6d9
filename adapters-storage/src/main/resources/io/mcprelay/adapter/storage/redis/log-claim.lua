-- Claims the lease on a live log's upstream for ARGV[1] if nobody holds it (a new epoch), or returns
-- the epoch ARGV[1] holds. Returns the epoch, 0 when no log lives, -1 when another instance holds it.
-- The lease is two fields of the meta hash (owner, epoch), so it lives and expires with the log.
-- KEYS[1] meta (KEYS[2], KEYS[3] unused).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local holder = redis.call('HGET', KEYS[1], 'owner')
if not holder then
  redis.call('HSET', KEYS[1], 'owner', ARGV[1])
  return redis.call('HINCRBY', KEYS[1], 'epoch', 1)
end
if holder ~= ARGV[1] then
  return -1
end
return tonumber(redis.call('HGET', KEYS[1], 'epoch'))
