-- Reading the files the commands are given (policies, plans, dumps,
-- scripts, configurations): regular files only, and never more than the
-- document limit (16 MiB) plus one byte, so a symlink to /dev/zero, a FIFO
-- or a directory gets a one-line error instead of a read without end.
-- "-" is standard input, read with the same bound.
local core = require "leastpriv.core"

local M = {}

M.LIMIT = 16 * 1024 * 1024     -- LPV_MAX_DOCUMENT: what json_decode reads at once

-- read(path [, limit]) -> text | nil, "PATH: message" [, "too large"].
function M.read(path, limit)
  limit = limit or M.LIMIT
  if path == "-" then
    local text = io.stdin:read(limit + 1) or ""
    if #text > limit then
      return nil, ("-: standard input larger than %d MiB"):format(math.floor(limit / 1048576)), "too large"
    end
    return text
  end
  return core.read_file(path, limit)
end

-- check(path [, limit]) -> true | nil, "PATH: message": may a reader that
-- opens the file itself (loadfile) read it?
function M.check(path, limit)
  return core.check_file(path, limit or M.LIMIT)
end

return M
