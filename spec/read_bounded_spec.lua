-- Reading input files (csrc/fs.c read_file and check_file, lua/leastpriv/files.lua):
-- regular files only, never more than the limit plus one byte, so a
-- symlink to /dev/zero, a FIFO or a directory given to any command is a
-- one-line error (exit status 2) and costs nothing.
local cli = require "support.cli"
local core = require "leastpriv.core"
local files = require "leastpriv.files"

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function sh(cmd)
  local ok = os.execute(cmd)
  return ok == true or ok == 0
end

describe("core.read_file", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() cli.rm(dir) end)

  it("reads a regular file of up to the limit whole", function()
    write(dir .. "/ten", "0123456789")
    assert.equal("0123456789", core.read_file(dir .. "/ten", 10))
    assert.equal("0123456789", core.read_file(dir .. "/ten"))
  end)

  it("refuses a file one byte over the limit, saying which limit", function()
    write(dir .. "/eleven", "0123456789A")
    local text, err, why = core.read_file(dir .. "/eleven", 10)
    assert.is_nil(text)
    assert.equal(dir .. "/eleven: file larger than 10 bytes", err)
    assert.equal("too large", why)
    write(dir .. "/big", string.rep("x", 16 * 1024 * 1024 + 1))
    assert.equal(dir .. "/big: file larger than 16 MiB", select(2, core.read_file(dir .. "/big")))
  end)

  it("stops after the limit plus one byte even where the size is not known in advance", function()
    -- procfs files claim 0 bytes: only reading tells their length
    local f = io.open("/proc/self/status")
    if not f then pending("no /proc"); return end
    f:close()
    local text, err = core.read_file("/proc/self/status", 16)
    assert.is_nil(text)
    assert.equal("/proc/self/status: file larger than 16 bytes", err)
  end)

  it("refuses a symlink to /dev/zero before reading a byte", function()
    assert.truthy(sh("ln -s /dev/zero " .. dir .. "/zero.json"))
    local text, err = core.read_file(dir .. "/zero.json")
    assert.is_nil(text)
    assert.equal(dir .. "/zero.json: cannot read the file: it is a character device, not a regular file", err)
  end)

  it("refuses a FIFO without waiting for a writer, and a directory", function()
    assert.truthy(sh("mkfifo " .. dir .. "/fifo.json"))
    assert.equal(dir .. "/fifo.json: cannot read the file: it is a FIFO, not a regular file",
      select(2, core.read_file(dir .. "/fifo.json")))
    assert.equal(dir .. ": cannot read the file: it is a directory, not a regular file",
      select(2, core.read_file(dir)))
    assert.equal(dir .. ": cannot read the file: it is a directory, not a regular file",
      select(2, core.check_file(dir)))
  end)

  it("names the file and the reason when it cannot be opened", function()
    local text, err = core.read_file(dir .. "/none.json")
    assert.is_nil(text)
    assert.matches("^.*/none%.json: cannot read the file %(.+%)$", err)
  end)

  it("check_file measures a regular file by its size without reading it", function()
    write(dir .. "/s.lua", "return 1")
    assert.is_true(core.check_file(dir .. "/s.lua"))
    assert.equal(dir .. "/s.lua: file larger than 4 bytes", select(2, core.check_file(dir .. "/s.lua", 4)))
  end)

  it("raises on a limit that is not a byte count", function()
    assert.has_error(function() core.read_file("Makefile", -1) end)
    assert.has_error(function() core.read_file(nil) end)
  end)
end)

describe("every command on a file that is not a regular file", function()
  local dir
  setup(function()
    dir = cli.tmpdir()
    assert.truthy(sh("ln -s /dev/zero " .. dir .. "/zero.json && ln -s /dev/zero " .. dir .. "/zero.lua"
      .. " && mkfifo " .. dir .. "/fifo.json"))
  end)
  teardown(function() cli.rm(dir) end)

  local cases = {
    { "check", "--no-config", "zero.json" }, { "check", "--no-config", "zero.lua" },
    { "check", "--no-config", "fifo.json" }, { "render", "zero.lua" },
    { "diff", "zero.json", "fifo.json" }, { "minimize", "zero.json" },
    { "simulate", "zero.json", "--action", "s3:GetObject" },
    { "overgrant", "zero.lua", "--needs", "zero.json" },
  }
  for _, argv in ipairs(cases) do
    it(table.concat(argv, " ") .. ": one line naming the file, exit status 2", function()
      local full = {}
      for i, a in ipairs(argv) do full[i] = a:match("^%w+%.%w+$") and dir .. "/" .. a or a end
      local code, _, err = cli.run(full)
      assert.equal(2, code, err)
      assert.matches("^leastpriv " .. argv[1] .. ": .*/[%w]+%.%w+: cannot read the file: it is a .*, not a regular file\n$", err)
    end)
  end

  it("check -: standard input is read up to the limit plus one byte, then refused", function()
    local p = io.popen("head -c 17000000 /dev/zero | " .. cli.LUA .. "bin/leastpriv check --no-config - 2>&1; echo \"exit:$?\"")
    local text = p:read("*a")
    p:close()
    -- as for a file: the document limit is a finding, as json_decode reports it
    assert.equal("-:1:1: error JSON_SYNTAX_ERROR document larger than 16 MiB\n"
      .. "1 finding: 1 error in 1 file\nexit:1\n", text)
  end)

  it("files.read and files.check use the 16 MiB document limit", function()
    assert.equal(16 * 1024 * 1024, files.LIMIT)
    assert.matches("not a regular file", select(2, files.read(dir .. "/zero.json")))
    assert.matches("not a regular file", select(2, files.check(dir .. "/zero.lua")))
  end)
end)
