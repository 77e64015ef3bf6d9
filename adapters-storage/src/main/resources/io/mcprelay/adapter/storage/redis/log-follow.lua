-- Follower holds. ARGV[1] 'take', 'renew' or 'release'; ARGV[2] the follower; ARGV[3] TTL in ms.
-- take: the follower holds the stream, whoever held it. renew: keeps the hold of a follower not
-- taken over (also one whose hold ran out unclaimed); returns 1 if it holds it after, else 0.
-- release: ends the follower's hold if it still has it. KEYS as log-claim.
local holder = redis.call('GET', KEYS[4])
if ARGV[1] == 'take' then
  redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[3])
  return 1
elseif ARGV[1] == 'renew' then
  if holder and holder ~= ARGV[2] then
    return 0
  end
  redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[3])
  return 1
else
  if holder == ARGV[2] then
    redis.call('DEL', KEYS[4])
  end
  return 1
end
