-- Small helpers shared by the Lua modules.
local M = {}

-- Edit distance between two strings, case-insensitive.
function M.distance(a, b)
  a, b = a:lower(), b:lower()
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

-- The closest candidate to word, or nil when none is close enough.
function M.closest(word, candidates)
  local best, best_d
  local limit = math.max(2, math.floor(#word / 3))
  for _, c in ipairs(candidates) do
    local d = M.distance(word, c)
    if d <= limit and (not best_d or d < best_d) then best, best_d = c, d end
  end
  return best
end

-- " (did you mean 'x'?)" or "".
function M.did_you_mean(word, candidates)
  local best = M.closest(word, candidates)
  return best and (" (did you mean '%s'?)"):format(best) or ""
end

-- Wrap fn, a DSL entry point named fname that raises plain messages, so
-- that its errors blame the script line that called it, prefixed by fname.
function M.blamed(fname, fn)
  return function(...)
    local ok, res = pcall(fn, ...)
    if not ok then
      local msg = tostring(res)
      if msg:sub(1, #fname) ~= fname then msg = fname .. ": " .. msg end
      error(msg, 2)
    end
    return res
  end
end

-- Sorted keys of a table.
-- A name from outside data, for labels: a string as it is, a number, a
-- boolean or nil as tostring writes it, anything else by its type (never a
-- table's address, which changes from run to run).
function M.name(x)
  local t = type(x)
  if t == "string" then return x end
  if t == "number" or t == "boolean" or t == "nil" then return tostring(x) end
  return "(" .. t .. ")"
end

function M.sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

-- Is t a sequence 1..n with no other keys?
function M.is_list(t)
  if type(t) ~= "table" then return false end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n == #t
end

-- Check that table t has only the fields listed in `allowed` (a set);
-- raise at `level` naming the first unknown one with a suggestion.
function M.check_fields(t, allowed, what, level)
  for k in pairs(t) do
    if type(k) ~= "string" then
      error(("%s: unexpected list item; use named fields"):format(what), level + 1)
    end
    if not allowed[k] then
      error(("%s: unknown field '%s'%s"):format(what, k, M.did_you_mean(k, M.sorted_keys(allowed))),
        level + 1)
    end
  end
end

return M
