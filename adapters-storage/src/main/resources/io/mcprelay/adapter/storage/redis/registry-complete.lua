-- Notes that a registered stream completed, keeping its open order. Returns 1 noted, 0 not registered.
-- KEYS as registry-admit. ARGV[1] (unused) what precedes a session id in its set's key, ARGV[2] stream id.
local order = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not order then
  return 0
end
redis.call('ZADD', KEYS[2], order, ARGV[2])
return 1
