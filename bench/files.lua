-- bench/files.lua: render --out's writer (leastpriv.files.write_folder) on
-- 200 roles of 2 files each (400 files, about 200 bytes each): a first
-- render into an empty folder, the same render again (manifest read, every
-- file replaced), and a render after every role was renamed (400 stale
-- files checked against their digest and removed).  Figures: milliseconds
-- of CPU time (os.clock: user and system) per render.
--
--   lua5.4 bench/files.lua [--quick]      (from the repository root, after make build)
package.path = "bench/?.lua;" .. package.path
local bench = require "lib"
local files = require "leastpriv.files"

local function outputs(prefix)
  local list = {}
  for i = 1, 200 do
    local role = ("%s-%d"):format(prefix, i)
    list[#list + 1] = { path = role .. "/trust.json", origin = role,
      content = ('{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", '
        .. '"Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]\n}\n') }
    list[#list + 1] = { path = role .. "/read.json", origin = role,
      content = ('{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", '
        .. '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/%d/*"}]\n}\n'):format(i) }
  end
  return list
end

local base = os.tmpname()
os.remove(base)
local a, b = outputs("role"), outputs("renamed")
local n = 0
local function fresh() n = n + 1; return ("%s/%d"):format(base, n) end

local function ms(fn) return bench.per_call(fn, 1, 5) * 1e3 end

bench.report("render --out: 400 files into an empty folder", ms(function()
  files.write_folder(fresh(), a)
end), "ms")
local dir = fresh()
files.write_folder(dir, a)
bench.report("render --out: the same 400 files again", ms(function()
  files.write_folder(dir, a)
end), "ms")
local flip = true
bench.report("render --out: 400 files renamed (400 stale files removed)", ms(function()
  files.write_folder(dir, flip and b or a)
  flip = not flip
end), "ms")
os.execute("rm -rf '" .. base .. "'")
