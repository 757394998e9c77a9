-- Run the leastpriv CLI in-process (fast) or as a process (exit codes,
-- the launcher), capturing stdout and stderr.
local M = {}

local function sink()
  local parts = {}
  return {
    write = function(self, ...)
      for i = 1, select("#", ...) do parts[#parts + 1] = tostring(select(i, ...)) end
      return self
    end,
    text = function() return table.concat(parts) end,
  }
end

-- run(argv) -> exit code, stdout text, stderr text
function M.run(argv)
  local out, err = sink(), sink()
  local code = require("leastpriv.cli").main(argv, { stdout = out, stderr = err })
  return code, out.text(), err.text()
end

local function quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- The interpreter under test (`make test LUA=...` sets LEASTPRIV_LUA), as a
-- command prefix for the launcher; empty: the launcher's own #! line.
M.LUA = os.getenv("LEASTPRIV_LUA") and quote(os.getenv("LEASTPRIV_LUA")) .. " " or ""

-- exec(argv) -> exit code, stdout, stderr of `bin/leastpriv argv...`
function M.exec(argv)
  local errfile = os.tmpname()
  local words = {}
  for i, a in ipairs(argv) do words[i] = quote(a) end
  local p = io.popen(M.LUA .. "bin/leastpriv " .. table.concat(words, " ") .. " 2>" .. errfile
    .. "; echo \"exit:$?\"")
  local out = p:read("*a")
  p:close()
  local code = tonumber(out:match("exit:(%d+)\n$"))
  out = out:gsub("exit:%d+\n$", "")
  local f = io.open(errfile)
  local err = f:read("*a")
  f:close()
  os.remove(errfile)
  return code, out, err
end

-- A fresh temporary directory.
function M.tmpdir()
  local name = os.tmpname()
  os.remove(name)
  assert(os.execute("mkdir -p " .. quote(name)))
  return name
end

function M.read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

function M.rm(path)
  os.execute("rm -rf " .. quote(path))
end

-- Every example role script (examples/*/*.lua), sorted as ls sorts them.
function M.examples()
  local list, p = {}, io.popen("ls examples/*/*.lua")
  for line in p:lines() do list[#list + 1] = line end
  p:close()
  return list
end

return M
