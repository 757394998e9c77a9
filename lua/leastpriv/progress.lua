-- Progress on long runs: "check: 1,200/5,000 roles (24%), 812/s, 5 s left"
-- redrawn in place on stderr, only when stderr is a terminal (never in a
-- pipe, a file or CI's log) and not --quiet.  At most ten redraws a second,
-- so progress costs nothing measurable; finish() clears the line.
local core = require "leastpriv.core"

local M = {}

local INTERVAL = 0.1

local function is_terminal(stream)
  if io.type(stream) ~= "file" then return false end
  local ok, tty = pcall(core.isatty, stream)
  return ok and tty
end

-- "12,345"
local function thousands(n)
  local s = tostring(math.floor(n))
  local out = s:reverse():gsub("(%d%d%d)", "%1,"):reverse()
  return (out:gsub("^,", ""))
end
M.thousands = thousands

local function duration(seconds)
  if seconds < 60 then return ("%d s"):format(math.ceil(seconds)) end
  local floor = math.floor
  if seconds < 3600 then return ("%d min %d s"):format(floor(seconds / 60), floor(seconds % 60)) end
  return ("%d h %d min"):format(floor(seconds / 3600), floor(seconds % 3600 / 60))
end

local Progress = {}
Progress.__index = Progress

-- new(stream, opts) -> progress.  opts: label ("check"), unit ("files"),
-- total (nil: unknown), quiet, and for tests tty (draw anyway) and clock.
function M.new(stream, opts)
  opts = opts or {}
  local p = setmetatable({ stream = stream, label = opts.label or "leastpriv", unit = opts.unit or "items",
    total = opts.total, done = 0, clock = opts.clock or core.monotonic }, Progress)
  p.active = not opts.quiet and (opts.tty or is_terminal(stream))
  if p.active then p.start = p.clock(); p.last = -math.huge end
  return p
end

-- The line for the current state.
function Progress:line()
  local elapsed = self.clock() - self.start
  local rate = elapsed > 0 and self.done / elapsed or nil
  local parts = { ("%s: %s"):format(self.label, thousands(self.done)) }
  if self.total then
    parts[1] = parts[1] .. ("/%s %s"):format(thousands(self.total), self.unit)
    if self.total > 0 then parts[1] = parts[1] .. (" (%d%%)"):format(math.floor(100 * self.done / self.total)) end
  else
    parts[1] = parts[1] .. " " .. self.unit
  end
  if rate and rate > 0 then
    parts[#parts + 1] = ("%s/s"):format(thousands(rate))
    if self.total and self.total > self.done then
      parts[#parts + 1] = duration((self.total - self.done) / rate) .. " left"
    end
  end
  return table.concat(parts, ", ")
end

-- Advance by n (1), and redraw when the last drawing is old enough.
function Progress:tick(n)
  if not self.active then return end
  self.done = self.done + (n or 1)
  local now = self.clock()
  if now - self.last >= INTERVAL then
    self.last = now
    self.stream:write("\r\27[K", self:line())
    if self.stream.flush then self.stream:flush() end
  end
end

-- A new phase: another unit and total, the count from zero.
function Progress:phase(unit, total)
  if not self.active then return end
  self.unit, self.total, self.done, self.start, self.last = unit, total, 0, self.clock(), -math.huge
end

-- Clear the line (the report that follows starts on a clean one).
function Progress:finish()
  if not self.active then return end
  self.stream:write("\r\27[K")
  if self.stream.flush then self.stream:flush() end
  self.active = false
end

return M
