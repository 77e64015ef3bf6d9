-- Deletes a log and wakes its waiters, if it lives and (when ARGV[1] is not empty) belongs to that
-- session. Returns 1 dropped, 0 no log, -1 another session's log.
-- KEYS[1] meta (which holds the lease), KEYS[2] events, KEYS[3] follower hold.
-- ARGV[1] session or '', ARGV[2] wake-up channel.
local session = redis.call('HGET', KEYS[1], 'session')
if not session then
  return 0
end
if ARGV[1] ~= '' and session ~= ARGV[1] then
  return -1
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('PUBLISH', ARGV[2], 'drop')
return 1
