-- Shared by the session scripts. KEYS[1] is the session's hash, KEYS[2] the creation index,
-- KEYS[3] the expiry index (all in the slot of {prefix:s}); ARGV[1] is what precedes a session
-- id in a hash's key. An index member is 'NNNNNN|<id>': the id starts at character 8.

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Owners (for the per-client quota), next to the indexes in the same slot: KEYS[2]..':owner' hash,
-- member -> owner key; KEYS[2]..':owners' sorted set, owner key -> its live sessions; and
-- KEYS[2]..':of:'..owner set of the owner's members. Every change of the indexes changes these too.

local function add_owner(member, owner)
  redis.call('HSET', KEYS[2] .. ':owner', member, owner)
  redis.call('SADD', KEYS[2] .. ':of:' .. owner, member)
  redis.call('ZINCRBY', KEYS[2] .. ':owners', 1, owner)
end

local function forget_owner(member)
  local owner = redis.call('HGET', KEYS[2] .. ':owner', member)
  if owner then
    redis.call('HDEL', KEYS[2] .. ':owner', member)
    redis.call('SREM', KEYS[2] .. ':of:' .. owner, member)
    if tonumber(redis.call('ZINCRBY', KEYS[2] .. ':owners', -1, owner)) <= 0 then
      redis.call('ZREM', KEYS[2] .. ':owners', owner)
    end
  end
end

-- Drops index entries whose session hash has expired (or was replaced by a newer session with
-- that id); at most 'limit' of them when a limit is given. Returns how many it dropped.
local function prune(limit)
  local stale
  if limit then
    stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now_ms(), 'LIMIT', 0, limit)
  else
    stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now_ms())
  end
  local dropped = 0
  for _, member in ipairs(stale) do
    if redis.call('HGET', ARGV[1] .. string.sub(member, 8), 'ix') ~= member then
      redis.call('ZREM', KEYS[2], member)
      redis.call('ZREM', KEYS[3], member)
      forget_owner(member)
      dropped = dropped + 1
    end
  end
  return dropped
end
