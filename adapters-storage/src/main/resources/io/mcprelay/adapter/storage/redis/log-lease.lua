-- The lease of a live log: { owner, epoch }, or {} when no log lives or nobody holds it.
-- KEYS[1] meta (KEYS[2], KEYS[3] unused).
local lease = redis.call('HMGET', KEYS[1], 'owner', 'epoch')
if not lease[1] then
  return {}
end
return lease
