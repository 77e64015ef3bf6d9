-- Forgets streams whose logs are gone. With ARGV[2] a session, only that session's streams (and
-- the ids are removed from its set in any case). Returns how many registrations it removed.
-- KEYS as registry-admit. ARGV[1] what precedes a session id in its set's key, ARGV[2] session
-- or '', ARGV[3..] stream ids.
local removed = 0
for i = 3, #ARGV do
  local stream = ARGV[i]
  if ARGV[2] ~= '' then
    redis.call('SREM', ARGV[1] .. ARGV[2], stream)
  end
  local owner = redis.call('HGET', KEYS[3], stream)
  if owner and (ARGV[2] == '' or owner == ARGV[2]) then
    redis.call('SREM', ARGV[1] .. owner, stream)
    redis.call('ZREM', KEYS[1], stream)
    redis.call('ZREM', KEYS[2], stream)
    redis.call('HDEL', KEYS[3], stream)
    removed = removed + 1
  end
end
return removed
