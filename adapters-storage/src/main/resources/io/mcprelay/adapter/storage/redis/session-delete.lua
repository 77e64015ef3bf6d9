-- Deletes a live session and its index entries. Returns 1 if one was deleted, else 0.
local member = redis.call('HGET', KEYS[1], 'ix')
if not member then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], member)
redis.call('ZREM', KEYS[3], member)
forget_owner(member)
return 1
