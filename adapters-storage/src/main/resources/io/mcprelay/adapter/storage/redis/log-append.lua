-- Appends one event: the next sequence, as stream entry '<sequence>-1'. Then drops the oldest
-- events beyond the count or byte limit (always keeping the newest), renews the TTL of both keys
-- and wakes the stream's waiters. Returns the sequence, -1 when no log lives, -2 when it is complete.
-- With an expected sequence (ARGV[11] > 0, numbered by the writer) it stores the event only as that
-- sequence: 0 when the log holds it already (an earlier attempt landed), -3 when it would leave a gap.
-- Under a lease (ARGV[12] not '') it returns -4, storing nothing, when the lease is no longer the
-- stream's (another instance took it over: fencing).
-- KEYS[1] meta, KEYS[2] events (KEYS[3] unused). ARGV[1] TTL in ms, ARGV[2] max events, ARGV[3] max bytes,
-- ARGV[4] the event's weight, ARGV[5] data, ARGV[6] '1' if it has a type, ARGV[7] type,
-- ARGV[8] '1' if it has an upstream id, ARGV[9] upstream id, ARGV[10] wake-up channel, ARGV[11] expected sequence or 0,
-- ARGV[12] the lease's owner and ARGV[13] its epoch, or '' and '' to append without a lease,
-- ARGV[14] the request ids the event answers (LogRedisCodec's form), or ''.
-- The answers are kept in the meta hash ('answered', with 'answersThrough' the last sequence they
-- cover), so a take-over learns which requests are open without reading every event; a log whose
-- 'answersThrough' lags its last sequence (opened, or written meanwhile, by an mcp-relay that did
-- not keep them) stays so, and a take-over reads it whole.
-- The meta fields are read in one HMGET and written in one HSET: an append is the commonest write,
-- and each command a script runs counts (a take-over storm makes thousands of first appends at once).
local meta = redis.call('HMGET', KEYS[1], 'lastSequence', 'complete', 'firstSequence', 'retainedBytes', 'owner', 'epoch',
  'answersThrough', 'answered')
if not meta[1] then
  return -1
end
if ARGV[12] ~= '' and (meta[5] ~= ARGV[12] or meta[6] ~= ARGV[13]) then
  return -4
end
local last = tonumber(meta[1])
local expected = tonumber(ARGV[11])
if expected > 0 then
  if expected <= last then
    return 0
  end
  if expected ~= last + 1 then
    return -3
  end
end
if meta[2] == '1' then
  return -2
end

local sequence = last + 1
local updates = { 'lastSequence', string.format('%d', sequence) }
if meta[7] and tonumber(meta[7]) == last then
  table.insert(updates, 'answersThrough')
  table.insert(updates, string.format('%d', sequence))
  if ARGV[14] ~= '' then
    table.insert(updates, 'answered')
    table.insert(updates, (meta[8] or '') .. ARGV[14])
  end
end
local fields = { 'data', ARGV[5], 'weight', ARGV[4] }
if ARGV[6] == '1' then
  table.insert(fields, 'type')
  table.insert(fields, ARGV[7])
end
if ARGV[8] == '1' then
  table.insert(fields, 'upstreamId')
  table.insert(fields, ARGV[9])
  table.insert(updates, 'upstreamCursor')
  table.insert(updates, ARGV[9])
end
redis.call('XADD', KEYS[2], string.format('%d-1', sequence), unpack(fields))

local bytes = tonumber(meta[4]) + tonumber(ARGV[4])
local count = redis.call('XLEN', KEYS[2])
local max_events = tonumber(ARGV[2])
local max_bytes = tonumber(ARGV[3])
local first = tonumber(meta[3])
local trimmed = false
while count > 1 and (count > max_events or bytes > max_bytes) do
  local id = string.format('%d-1', first)
  local oldest = redis.call('XRANGE', KEYS[2], id, id)[1]
  if oldest then
    local entry = oldest[2]
    for i = 1, #entry, 2 do
      if entry[i] == 'weight' then
        bytes = bytes - tonumber(entry[i + 1])
      end
    end
  end
  count = count - 1
  first = first + 1
  trimmed = true
end
if trimmed then
  redis.call('XTRIM', KEYS[2], 'MINID', string.format('%d-1', first))
  table.insert(updates, 'firstSequence')
  table.insert(updates, string.format('%d', first))
end
table.insert(updates, 'retainedBytes')
table.insert(updates, string.format('%d', bytes))
redis.call('HSET', KEYS[1], unpack(updates))

redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[10], 'append')
return sequence
