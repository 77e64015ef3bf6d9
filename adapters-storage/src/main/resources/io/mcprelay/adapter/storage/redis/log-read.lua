-- Reads the log's state and up to max events after a position, at one instant. Returns {} when no
-- log lives, else { meta as field/value list, events as XRANGE returns them }.
-- KEYS[1] meta, KEYS[2] events (KEYS[3] unused). ARGV[1] the position (events after it), ARGV[2] max.
local meta = redis.call('HGETALL', KEYS[1])
if #meta == 0 then
  return {}
end
local events = {}
if tonumber(ARGV[2]) > 0 then
  events = redis.call('XRANGE', KEYS[2], '(' .. ARGV[1] .. '-1', '+', 'COUNT', ARGV[2])
end
return { meta, events }
