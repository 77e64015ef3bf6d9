-- Records the upstream's session id on a live session, keeping its TTL. Returns the session's
-- fields and values, or an empty list when none lives.
-- ARGV[2] the upstream session id.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
redis.call('HSET', KEYS[1], 'upstreamSessionId', ARGV[2])
return redis.call('HGETALL', KEYS[1])
