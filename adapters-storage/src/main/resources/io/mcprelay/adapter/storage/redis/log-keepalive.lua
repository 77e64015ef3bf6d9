-- Renews the TTL of a live log; never revives one. KEYS[1] meta, KEYS[2] events (KEYS[3] unused). ARGV[1] TTL in ms.
if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
