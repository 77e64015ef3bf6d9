-- A take-over in one round trip: moves the lease of a live, incomplete log from ARGV[2] (epoch
-- ARGV[3]) to ARGV[1] under a new epoch, if that is still the lease and no follower other than
-- ARGV[4] holds the stream; ends ARGV[4]'s hold if it has it (its connection becomes the new owner's
-- own client); and reads the log's state and its first ARGV[5] events, all at one instant. Returns {}
-- when the lease did not move (no live log, a complete one, someone took it over first, or another
-- follower holds the stream: that one takes it over), else { epoch, meta as field/value list, events
-- as XRANGE returns them, 1 when the events are those after ARGV[6] or 0 when from the start }.
-- With ARGV[6] (the position the taker read up to, or '') and a meta hash whose kept answers
-- ('answered', see log-append.lua) cover the whole log, only the events after ARGV[6] are read: the
-- taker learns the open requests from the meta hash, however long the log is.
-- KEYS[1] meta, KEYS[2] events, KEYS[3] the follower hold.
local state = redis.call('HMGET', KEYS[1], 'complete', 'owner', 'epoch', 'answersThrough', 'lastSequence')
if not state[1] or state[1] == '1' or state[2] ~= ARGV[2] or state[3] ~= ARGV[3] then
  return {}
end
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[4] then
  return {}
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
local epoch = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
if holder then
  redis.call('DEL', KEYS[3])
end
local after = ARGV[6] ~= nil and ARGV[6] ~= '' and state[4] ~= false and state[4] == state[5]
local events = {}
if tonumber(ARGV[5]) > 0 then
  local from = '-'
  if after then
    from = '(' .. ARGV[6] .. '-1'
  end
  events = redis.call('XRANGE', KEYS[2], from, '+', 'COUNT', ARGV[5])
end
return { epoch, redis.call('HGETALL', KEYS[1]), events, after and 1 or 0 }
