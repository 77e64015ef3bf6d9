-- Follower holds. ARGV[1] 'take', 'renew' or 'release'; ARGV[2] the follower; ARGV[3] TTL in ms.
-- take: the follower holds the stream, whoever held it. renew: keeps the hold of a follower not
-- taken over (also one whose hold ran out unclaimed); returns 1 if it holds it after, else 0. A
-- renewal writes only when less than two thirds of the TTL are left, so a follower that checks its
-- hold often costs a read, not a write, most times. release: ends the follower's hold if it still
-- has it. KEYS[3] the follower hold (KEYS[1], KEYS[2] unused).
local holder = redis.call('GET', KEYS[3])
if ARGV[1] == 'take' then
  redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
  return 1
elseif ARGV[1] == 'renew' then
  if holder and holder ~= ARGV[2] then
    return 0
  end
  if not holder or redis.call('PTTL', KEYS[3]) * 3 < tonumber(ARGV[3]) * 2 then
    redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
  end
  return 1
else
  if holder == ARGV[2] then
    redis.call('DEL', KEYS[3])
  end
  return 1
end
