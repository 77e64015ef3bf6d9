-- Prunes the index of expired sessions, then returns { owner, live sessions } of the owner holding
-- the most, or {} when no owner holds any.
prune(nil)
local top = redis.call('ZREVRANGE', KEYS[2] .. ':owners', 0, 0, 'WITHSCORES')
if #top == 0 then
  return {}
end
return { top[1], tonumber(top[2]) }
