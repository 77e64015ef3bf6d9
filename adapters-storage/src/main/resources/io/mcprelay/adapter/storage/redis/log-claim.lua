-- Claims or renews the owner lease of a live log for ARGV[1], unless another owner's lease is
-- current (the key expires with the lease). Returns 1 if ARGV[1] holds it after, else 0.
-- KEYS[1] meta, KEYS[2] events, KEYS[3] owner lease, KEYS[4] follower hold. ARGV[2] lease in ms.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
return 1
