-- The current owner of a live log's lease, or false. KEYS as log-claim.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return false
end
return redis.call('GET', KEYS[3])
