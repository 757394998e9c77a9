-- Progress on long runs: drawn in place on a terminal, never elsewhere,
-- off with --quiet; the line says what is done, the rate and the time left.
local cli = require "support.cli"
local progress = require "leastpriv.progress"

local function sink()
  local parts = {}
  return { write = function(self, ...)
    for i = 1, select("#", ...) do parts[#parts + 1] = select(i, ...) end
    return self
  end, text = function() return table.concat(parts) end }
end

local function fake_clock()
  local t = 0
  return function() return t end, function(dt) t = t + dt end
end

describe("leastpriv.progress", function()
  it("draws done/total, percentage, rate and time left in place", function()
    local s, clock, advance = sink(), fake_clock()
    local p = progress.new(s, { label = "check", unit = "roles", total = 5000, tty = true, clock = clock })
    advance(2)
    p:tick(1200)
    assert.equal("\r\27[Kcheck: 1,200/5,000 roles (24%), 600/s, 7 s left", s.text())
    p:finish()
    assert.equal("\r\27[K", s.text():sub(-4))
  end)

  it("redraws at most ten times a second", function()
    local s, clock, advance = sink(), fake_clock()
    local p = progress.new(s, { total = 100, tty = true, clock = clock })
    for _ = 1, 50 do advance(0.01); p:tick() end          -- half a second
    local _, draws = s.text():gsub("\r", "")
    assert.truthy(draws >= 4 and draws <= 6, draws)
  end)

  it("draws nothing when the stream is not a terminal, or when quiet", function()
    local s = sink()
    local p = progress.new(s, { total = 10 })            -- a sink is no terminal
    p:tick(); p:finish()
    local q = progress.new(s, { total = 10, tty = true, quiet = true })
    q:tick(); q:finish()
    assert.equal("", s.text())
    local f = assert(io.open("/dev/null", "w"))
    local r = progress.new(f, { total = 10 })
    assert.is_false(r.active)
    f:close()
  end)

  it("writes long durations in minutes and hours, and unknown totals as a count", function()
    local s, clock, advance = sink(), fake_clock()
    local p = progress.new(s, { label = "diff", unit = "statements", total = 100000, tty = true, clock = clock })
    advance(10)
    p:tick(10)
    assert.matches("10/100,000 statements %(0%%%), 1/s, 27 h 46 min left$", s.text())
    local s2 = sink()
    local u = progress.new(s2, { label = "import", unit = "roles", tty = true, clock = clock })
    advance(1)
    u:tick(3)
    assert.equal("\r\27[Kimport: 3 roles, 3/s", s2.text())
  end)
end)

describe("check progress", function()
  local have_script = os.execute("command -v script >/dev/null 2>&1")
  have_script = have_script == true or have_script == 0

  -- Run the command with a terminal as stdout and stderr (util-linux script).
  local function on_terminal(argv)
    local words = {}
    for i, a in ipairs(argv) do words[i] = "'" .. a:gsub("'", "'\\''") .. "'" end
    local cmd = cli.LUA .. "bin/leastpriv " .. table.concat(words, " ")
    local p = io.popen("script -qec " .. ("'" .. cmd:gsub("'", "'\\''") .. "'") .. " /dev/null")
    local out = p:read("*a")
    p:close()
    return out
  end

  it("shows nothing on stderr when it is not a terminal", function()
    local code, _, err = cli.exec({ "check", "spec/fixtures/check/account.json", "--format", "json" })
    assert.equal(1, code)
    assert.equal("", err)
  end)

  it("shows files, then roles and policies, on a terminal; --quiet turns it off", function()
    if not have_script then return pending("script (util-linux) not found: no terminal to test on") end
    local out = on_terminal({ "check", "spec/fixtures/check/account.json", "--format", "json",
                              "-o", "/dev/null" })
    assert.matches("check: 1/1 files %(100%%%)", out)
    assert.matches("check: %d+/%d+ roles and policies", out)
    assert.matches("\r\27%[K$", out)        -- the line is cleared at the end
    local quiet = on_terminal({ "check", "spec/fixtures/check/account.json", "--format", "json",
                                "-o", "/dev/null", "--quiet" })
    assert.falsy(quiet:find("check:", 1, true))
  end)
end)
