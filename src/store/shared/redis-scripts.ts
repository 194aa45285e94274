import { createHash } from 'node:crypto';

/**
 * The Lua scripts behind RedisSharedState's compound operations. Each touches exactly one key
 * (KEYS[1]), so each is atomic and would also run on a Redis Cluster. Numbers travel as strings;
 * an empty TTL argument means "no expiry".
 */

export class LuaScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
}

/** Shortest of %.15g/%.16g/%.17g that reads back as the same double. */
const FORMAT_NUMBER = `
local function fmt(v)
  for p = 15, 17 do
    local s = string.format('%.' .. p .. 'g', v)
    if tonumber(s) == v then return s end
  end
  return string.format('%.17g', v)
end
`;

/** ARGV: by, ttlMs|''. Returns the new value as a string. TTL only when this call created the key. */
export const INCR = new LuaScript(`
local created = redis.call('EXISTS', KEYS[1]) == 0
local v = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if created and ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v
`);

/** ARGV: sample, alpha, ttlMs|''. Returns the new average as a string; TTL set on every update. */
export const EWMA = new LuaScript(`${FORMAT_NUMBER}
local sample = tonumber(ARGV[1])
local alpha = tonumber(ARGV[2])
local v = sample
local old = redis.call('GET', KEYS[1])
if old then
  local n = tonumber(old)
  if n == nil then return redis.error_reply('ERR value is not a valid number (' .. KEYS[1] .. ')') end
  v = alpha * sample + (1 - alpha) * n
end
local s = fmt(v)
if ARGV[3] ~= '' then redis.call('SET', KEYS[1], s, 'PX', ARGV[3]) else redis.call('SET', KEYS[1], s) end
return s
`);

/**
 * ARGV: limit, windowMs, cost. Returns {allowed 1|0, remaining, retryAfterMs}.
 * Same arithmetic as sliding-window.ts (keep them in step); the clock is the server's TIME so
 * every gateway instance sees the same windows. The key is a hash: w (window number), c (its
 * count), p (the previous window's count).
 */
export const RATE_LIMIT = new LuaScript(`${FORMAT_NUMBER}
if redis.replicate_commands then redis.replicate_commands() end
local limit = tonumber(ARGV[1])
local win = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local w = math.floor(now / win)
local elapsed = now - w * win
local cur, prev = 0, 0
local h = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local sw = tonumber(h[1])
if sw == w then
  cur = tonumber(h[2]) or 0
  prev = tonumber(h[3]) or 0
elseif sw == w - 1 then
  prev = tonumber(h[2]) or 0
end
local est = cur + prev * (win - elapsed) / win
if est + cost > limit + 1e-9 then
  local wait
  if cost > limit then
    wait = 2 * win - elapsed
  else
    local room = limit - cur - cost
    if room >= 0 then
      if prev > 0 then wait = win * (1 - room / prev) - elapsed else wait = 1 end
    else
      local needed = 0
      if cur > 0 then needed = win * (1 - (limit - cost) / cur) end
      if needed < 0 then needed = 0 end
      wait = win - elapsed + needed
    end
  end
  wait = math.ceil(wait)
  if wait < 1 then wait = 1 end
  return {0, 0, wait}
end
if cost > 0 then
  redis.call('HSET', KEYS[1], 'w', string.format('%d', w), 'c', fmt(cur + cost), 'p', fmt(prev))
  redis.call('PEXPIRE', KEYS[1], string.format('%d', 2 * win))
end
local rem = math.floor(limit - est - cost + 1e-9)
if rem < 0 then rem = 0 end
return {1, rem, 0}
`);

/** ARGV: value, maxLength, ttlMs|''. LPUSH + LTRIM + PEXPIRE (or PERSIST without a TTL). */
export const LIST_PUSH = new LuaScript(`
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
if ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('PERSIST', KEYS[1]) end
return 1
`);
