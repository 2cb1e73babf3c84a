-- Jackdaw's script sandbox, run once per interpreter after the libraries and redis.* exist.
-- Redis builds its protection into a patched Lua (readonly tables); plain Lua 5.1 gets the same
-- observable behaviour from proxies: scripts see a proxy of the globals whose reads of a missing
-- name raise Redis's error and whose writes raise the readonly-table error, and every library
-- table is a proxy too. The real tables stay reachable only from the engine.
local G = _G
local rawget, rawset, error, type, tostring, next, setfenv = rawget, rawset, error, type, tostring, next, setfenv
local real_setmetatable, real_getmetatable, real_loadstring = setmetatable, getmetatable, loadstring
local lrand, srand, clock = __jackdaw_lrand, __jackdaw_srand, __jackdaw_clock
local load_api = rawget(G, '__jackdaw_load_api') -- functions' interpreter only
rawset(G, '__jackdaw_load_api', nil)
rawset(G, '__jackdaw_lrand', nil)
rawset(G, '__jackdaw_srand', nil)
rawset(G, '__jackdaw_clock', nil)

-- What Redis removes or never loads.
rawset(G, 'dofile', nil)
rawset(G, 'loadfile', nil)
rawset(G, 'print', nil)
rawset(G, 'os', { clock = clock })

-- math.random and math.randomseed on Redis's own lrand48, the same sequence on every machine.
local floor = math.floor
local LRAND_MAX = 2147483647
math.random = function(...)
  local n = select('#', ...)
  local r = (lrand() % LRAND_MAX) / LRAND_MAX
  if n == 0 then return r end
  local l, u = ...
  if n == 1 then
    u = floor(tonumber(l) or error("bad argument #1 to 'random' (number expected, got " .. type(l) .. ")", 2))
    if u < 1 then error("bad argument #1 to 'random' (interval is empty)", 2) end
    return floor(r * u) + 1
  elseif n == 2 then
    l = floor(tonumber(l) or error("bad argument #1 to 'random' (number expected, got " .. type(l) .. ")", 2))
    u = floor(tonumber(u) or error("bad argument #2 to 'random' (number expected, got " .. type(u) .. ")", 2))
    if l > u then error("bad argument #2 to 'random' (interval is empty)", 2) end
    return floor(r * (u - l + 1)) + l
  end
  error('wrong number of arguments', 2)
end
math.randomseed = function(s)
  local v = tonumber(s)
  if v == nil then error("bad argument #1 to 'randomseed' (number expected, got " .. (s == nil and 'no value' or type(s)) .. ")", 2) end
  srand(v)
end

local protected = real_setmetatable({}, { __mode = 'k' })
local function readonly() error('Attempt to modify a readonly table', 2) end

local function protect(t)
  local p = {}
  real_setmetatable(p, { __index = t, __newindex = readonly, __metatable = false })
  protected[p] = t
  return p
end

for _, name in ipairs({ 'redis', 'string', 'math', 'table', 'os', 'coroutine', 'cjson', 'cmsgpack', 'struct', 'bit' }) do
  local t = rawget(G, name)
  if type(t) == 'table' then rawset(G, name, protect(t)) end
end
rawset(G, 'server', rawget(G, 'redis'))
-- The library API's tables raise on a missing name, as its globals do (Redis gives them the
-- same error metatable).
local function protect_strict(t)
  local p = {}
  real_setmetatable(p, {
    __index = function(_, k)
      local v = t[k]
      if v == nil then error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end
      return v
    end,
    __newindex = readonly,
    __metatable = false,
  })
  protected[p] = t
  return p
end
if load_api then
  for k, v in next, load_api do load_api[k] = protect_strict(v) end
end

-- The globals scripts see. While FUNCTION LOAD runs a library they resolve in the library API
-- instead (Redis swaps the globals' __index the same way), also for code defined then and run later.
-- The proxy's __index is the real table, not a function, so a global that exists is found by
-- the VM's own lookup with no Lua call (as in Redis, where only a missing name reaches the
-- metamethod); the real tables carry the metamethod that raises for a missing name.
local function missing(_, k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end
real_setmetatable(G, { __index = missing })
if load_api then real_setmetatable(load_api, { __index = missing }) end
local env = {}
local env_meta = {
  __index = G,
  __newindex = readonly,
  __metatable = false,
}
real_setmetatable(env, env_meta)
protected[env] = G

-- Functions that would reach around the proxies.
-- A readonly table changed through a C function gets the error without a position, as in Redis.
local readonly_meta = protect({})
rawset(G, 'setmetatable', function(t, m)
  if protected[t] then error('Attempt to modify a readonly table', 0) end
  return real_setmetatable(t, m)
end)
rawset(G, 'getmetatable', function(t)
  if protected[t] then return readonly_meta end
  return real_getmetatable(t)
end)
rawset(G, 'rawset', function(t, k, v)
  if protected[t] then error('Attempt to modify a readonly table', 0) end
  return rawset(t, k, v)
end)
rawset(G, 'rawget', function(t, k)
  local real = protected[t]
  if real then return rawget(real, k) end
  return rawget(t, k)
end)
rawset(G, 'next', function(t, k)
  local real = protected[t]
  return next(real or t, k)
end)
local jnext = rawget(G, 'next')
rawset(G, 'pairs', function(t)
  if protected[t] then return jnext, t, nil end
  return next, t, nil
end)
rawset(G, 'setfenv', function(f, t)
  if type(f) == 'number' and f == 0 then error("'setfenv' cannot change environment of given object", 2) end
  return setfenv(f, t)
end)
-- Source only: bytecode could break the interpreter (Redis refuses binary chunks too).
rawset(G, 'loadstring', function(s, name)
  if type(s) == 'string' and s:byte(1) == 27 then return nil, 'binary chunks are not allowed' end
  local f, e = real_loadstring(s, name)
  if f then setfenv(f, env) end
  return f, e
end)
rawset(G, 'load', function(reader, name)
  local parts = {}
  while true do
    local piece = reader()
    if piece == nil or piece == '' then break end
    parts[#parts + 1] = piece
  end
  return rawget(G, 'loadstring')(table.concat(parts), name or '=(load)')
end)
rawset(G, '_G', env)
return env, function(on) env_meta.__index = on and load_api or G end
