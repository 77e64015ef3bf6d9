-- Prunes the index of expired sessions. Returns { how many were pruned, how many sessions live }.
local pruned = prune(nil)
return { pruned, redis.call('ZCARD', KEYS[2]) }
