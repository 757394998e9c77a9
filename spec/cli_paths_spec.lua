-- Folders on the command line: the files in them that leastpriv reads,
-- in name order; modules of .tf files as one input; hidden entries,
-- node_modules, leastpriv.json and symbolic links left out.
local cli = require "support.cli"
local paths = require "leastpriv.cli.paths"

local function tree(files)
  local dir = cli.tmpdir()
  for name, text in pairs(files) do
    local sub = name:match("^(.*)/[^/]*$")
    if sub then os.execute(("mkdir -p %q"):format(dir .. "/" .. sub)) end
    local f = assert(io.open(dir .. "/" .. name, "w"))
    f:write(text)
    f:close()
  end
  return dir
end

describe("folders as inputs", function()
  it("expand to the .lua and .json files below, in name order, and .tf folders as modules", function()
    local dir = tree({ ["b.lua"] = "", ["a.json"] = "{}", ["notes.md"] = "", ["sub/c.lua"] = "",
                       ["mod/main.tf"] = "", ["mod/inner/x.lua"] = "", [".hidden/d.lua"] = "",
                       ["node_modules/e.json"] = "{}", ["leastpriv.json"] = "{}", [".leastpriv.lua"] = "" })
    os.execute(("ln -s %q %q"):format(dir .. "/b.lua", dir .. "/link.lua"))
    local list = assert(paths.expand({ dir .. "/" }))
    cli.rm(dir)
    local rel = {}
    for i, p in ipairs(list) do rel[i] = p:sub(#dir + 2) end
    assert.same({ "a.json", "b.lua", "mod", "sub/c.lua" }, rel)
  end)

  it("keep files and - as they are", function()
    assert.same({ "-", "x.json" }, paths.expand({ "-", "x.json" }))
  end)

  it("say which kinds they read when a folder holds none", function()
    local dir = tree({ ["README.md"] = "" })
    local list, err = paths.expand({ dir })
    cli.rm(dir)
    assert.is_nil(list)
    assert.matches("a folder with no file leastpriv reads %(it reads role scripts %(%.lua%)", err)
  end)

  it("check reads a folder of role scripts and modules", function()
    local code, out = cli.run({ "check", "examples/sagemaker" })
    assert.equal(1, code)         -- the seed's module has two findings
    assert.matches("in 4 files\n$", out)
    code, out = cli.run({ "check", "spec/fixtures/tf" })
    assert.equal(1, code)
    assert.matches("spec/fixtures/tf/seed/main%.tf:17:31:", out)
  end)

  it("check refuses an empty folder with one line, exit 2", function()
    local dir = cli.tmpdir()
    local code, out, err = cli.run({ "check", dir })
    cli.rm(dir)
    assert.equal(2, code)
    assert.equal("", out)
    assert.matches("a folder with no file leastpriv reads", err)
  end)
end)

describe("every command's --help", function()
  it("ends with the exit status, and shows optional options in brackets", function()
    local cli_mod = require "leastpriv.cli"
    for _, name in ipairs(cli_mod.commands) do
      local code, out = cli.run({ name, "--help" })
      assert.equal(0, code, name)
      assert.matches("Exit status", out, 1, true)
      assert.matches("^usage: leastpriv " .. name:gsub("%-", "%%-"), out)
    end
    local _, sim = cli.run({ "simulate", "--help" })
    assert.matches("%[%-%-resource R%]", sim)          -- it defaults to *
  end)
end)

describe("folders for the other commands", function()
  it("render renders the role scripts of a folder", function()
    local code, out = cli.run({ "render", "examples/cross_account" })
    assert.equal(0, code)
    assert.matches("==> vendor%-monitoring%-readonly/trust.json <==", out)
  end)

  it("diff compares every role of two folders, paired by name", function()
    local code, out = cli.run({ "diff", "examples/sagemaker", "examples/sagemaker", "--set", "bucket_name=my-bucket" })
    assert.equal(0, code, out)
    assert.equal("no change in what is allowed\n", out)
  end)

  it("commands of one input say so for a folder, in one line", function()
    for _, argv in ipairs {
      { "simulate", "examples/sagemaker", "--action", "s3:GetObject" },
      { "can", "examples/sagemaker" },
      { "minimize", "examples/sagemaker" },
      { "overgrant", "examples/sagemaker", "--needs", "spec/fixtures/analysis/needs.json" },
    } do
      local code, out, err = cli.run(argv)
      assert.equal(2, code, argv[1])
      assert.equal("", out)
      assert.matches("examples/sagemaker is a folder: this command takes one role script", err)
    end
  end)
end)
