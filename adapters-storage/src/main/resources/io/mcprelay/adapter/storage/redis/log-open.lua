-- Opens an empty log unless a live one has this stream id. Returns 1 opened, 0 taken.
-- KEYS[1] meta, KEYS[2] events, KEYS[3] follower hold.
-- ARGV[1] TTL in ms, ARGV[2] session, ARGV[3] kind, ARGV[4] openedAt, ARGV[5] requests.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'session', ARGV[2], 'kind', ARGV[3], 'openedAt', ARGV[4],
  'requests', ARGV[5], 'firstSequence', '1', 'lastSequence', '0', 'retainedBytes', '0', 'complete', '0', 'epoch', '0',
  'answersThrough', '0', 'answered', '')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
