-- Renews the TTL of a live log; never revives one. Writes only when a third of the TTL has gone by
-- (an append renews it too), so a supervisor's keep-alive every few seconds costs a read most times:
-- 10,000 quiet open streams do not mean 1,000 writes a second.
-- KEYS[1] meta, KEYS[2] events (KEYS[3] unused). ARGV[1] TTL in ms.
local left = redis.call('PTTL', KEYS[1])
if left == -2 then
  return 0
end
if left >= 0 and left * 3 >= tonumber(ARGV[1]) * 2 then
  return 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
