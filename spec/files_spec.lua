-- Files written only where asked, once, whole (leastpriv.files and
-- csrc/fsio.c): render --out never leaves DIR nor follows a link inside
-- it, never writes one path twice, leaves nothing half-written, keeps two
-- renders apart, and removes what a previous render wrote and this one no
-- longer does (only that); check --output replaces its file whole; inputs
-- reached through a link out of the current directory are not read.
local cli = require "support.cli"
local core = require "leastpriv.core"
local files = require "leastpriv.files"

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- Did the shell command succeed? (os.execute: true on 5.2+, 0 on 5.1)
local function sh(cmd)
  local r = os.execute(cmd)
  return r == true or r == 0
end

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Every entry under dir (find's view, sorted), as one string.
local function tree(dir)
  local p = io.popen("cd " .. q(dir) .. " && find . | LC_ALL=C sort")
  local s = p:read("*a")
  p:close()
  return s
end

local function is_link(path) return sh("test -L " .. q(path)) end

-- A role script: role NAME with inline policies named by the list.
local function role_script(dir, file, name, policies)
  local parts = {}
  for _, p in ipairs(policies) do
    parts[#parts + 1] = ("[%q] = lp.policy { lp.allow { action = \"s3:GetObject\", resource = \"arn:aws:s3:::b/*\" } }")
      :format(p)
  end
  local path = dir .. "/" .. file
  write(path, ("local lp = require \"leastpriv\"\nreturn lp.role { name = %q, trust = "
    .. "lp.trust.service(\"lambda.amazonaws.com\"), policies = { %s } }\n"):format(name, table.concat(parts, ", ")))
  return path
end

-- bin/leastpriv argv... run in dir: exit code, stdout, stderr.
local function exec_in(dir, argv)
  local words = {}
  for i, a in ipairs(argv) do words[i] = q(a) end
  local root = io.popen("pwd"):read("*l")
  local errfile = os.tmpname()
  local p = io.popen("cd " .. q(dir) .. " && " .. cli.LUA .. q(root .. "/bin/leastpriv") .. " "
    .. table.concat(words, " ") .. " 2>" .. errfile .. "; echo \"exit:$?\"")
  local out = p:read("*a")
  p:close()
  local code = tonumber(out:match("exit:(%d+)\n$"))
  local err = cli.read(errfile)
  os.remove(errfile)
  return code, out:gsub("exit:%d+\n$", ""), err
end

describe("render --out writes only inside DIR", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() cli.rm(dir) end)

  it("refuses a role or a policy named .. (valid IAM names) and writes nothing", function()
    local script = role_script(dir, "dot.lua", "..", { "read" })
    local code, _, err = cli.run { "render", script, "--out", dir .. "/out" }
    assert.equal(2, code)
    assert.matches('the trust policy of role "..": ' .. dir .. '/out/../trust.json would be written outside', err, 1, true)
    assert.is_nil(cli.read(dir .. "/trust.json"))
    assert.equal(".\n./dot.lua\n", tree(dir))
    -- a managed policy named ..: ../.json is still outside
    write(dir .. "/p.lua", 'local lp = require "leastpriv"\nreturn lp.managed_policy { name = "..", '
      .. 'lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::b/*" } }\n')
    code, _, err = cli.run { "render", dir .. "/p.lua", dir .. "/dot.lua", "--out", dir .. "/out" }
    assert.equal(2, code)
    assert.matches("would be written outside", err, 1, true)
    assert.is_nil(cli.read(dir .. "/out"))
  end)

  it("refuses a script named ...lua when it names a folder, and --set role_name=..", function()
    role_script(dir, "...lua", "r", { "read" })
    role_script(dir, "b.lua", "s", { "read" })
    local code, _, err = cli.run { "render", dir .. "/...lua", dir .. "/b.lua", "--out", dir .. "/out" }
    assert.equal(2, code)
    assert.matches(dir .. "/out/../r/trust.json would be written outside", err, 1, true)
    assert.is_nil(cli.read(dir .. "/r/trust.json"))
    code, _, err = cli.run { "render", "examples/sagemaker/seed_module.lua", "--set", "bucket_name=my-bucket",
                             "--set", "role_name=..", "--out", dir .. "/seed" }
    assert.equal(2, code)
    assert.matches('role "..": ' .. dir .. "/seed/../trust.json would be written outside", err, 1, true)
    assert.is_nil(cli.read(dir .. "/trust.json"))
  end)

  it("refuses one path written twice, naming both outputs", function()
    local script = role_script(dir, "dup.lua", "r", { "trust" })
    local code, _, err = cli.run { "render", script, "--out", dir .. "/out" }
    assert.equal(2, code)
    assert.matches(dir .. '/out/r/trust.json would be written twice: by ' .. script
      .. ': the trust policy of role "r" and by ' .. script .. ': inline policy "trust" of role "r"', err, 1, true)
    script = role_script(dir, "dup2.lua", "r", { "a+b", "a,b" })
    code, _, err = cli.run { "render", script, "--out", dir .. "/out" }
    assert.equal(2, code)
    assert.matches('/out/r/a_b.json would be written twice: by ' .. script .. ': inline policy "a+b" of role "r" and by '
      .. script .. ': inline policy "a,b" of role "r"', err, 1, true)
    -- names equal but for case: one file on a case-insensitive file system
    role_script(dir, "Roles.lua", "r", { "read" })
    role_script(dir, "roles.lua", "r", { "read" })
    code, _, err = cli.run { "render", dir .. "/Roles.lua", dir .. "/roles.lua", "--out", dir .. "/out" }
    assert.equal(2, code)
    assert.matches("would be written twice", err, 1, true)
    assert.is_nil(cli.read(dir .. "/out"))
  end)

  it("refuses names leastpriv keeps for its own files", function()
    local script = role_script(dir, "m.lua", ".leastpriv-render", { "read" })
    local code, _, err = cli.run { "render", script, "--out", dir .. "/out" }
    assert.equal(2, code)
    assert.matches('".leastpriv-render" is the name leastpriv keeps for its own file', err, 1, true)
  end)

  it("replaces a symbolic link planted at a file's place, never writing through it", function()
    local script = role_script(dir, "ok.lua", "r", { "read" })
    assert.truthy(sh("mkdir -p " .. q(dir .. "/out/r")))
    write(dir .. "/victim", "precious\n")
    assert.truthy(sh("ln -s " .. q(dir .. "/victim") .. " " .. q(dir .. "/out/r/trust.json")))
    -- a link at a name temporary files once had: left alone
    assert.truthy(sh("ln -s " .. q(dir .. "/victim2") .. " " .. q(dir .. "/out/r/trust.json.tmp-1")))
    local code, _, err = cli.run { "render", script, "--out", dir .. "/out" }
    assert.equal(0, code, err)
    assert.equal("precious\n", cli.read(dir .. "/victim"))
    assert.is_nil(cli.read(dir .. "/victim2"))
    assert.is_false(is_link(dir .. "/out/r/trust.json"))
    assert.matches('"sts:AssumeRole"', cli.read(dir .. "/out/r/trust.json"), 1, true)
    assert.is_true(is_link(dir .. "/out/r/trust.json.tmp-1"))
  end)

  it("refuses a symbolic link to a folder inside DIR, naming it, and leaves no temporary file", function()
    local script = role_script(dir, "ok.lua", "r", { "read" })
    assert.truthy(sh("mkdir -p " .. q(dir .. "/out") .. " " .. q(dir .. "/elsewhere")))
    assert.truthy(sh("ln -s " .. q(dir .. "/elsewhere") .. " " .. q(dir .. "/out/r")))
    local code, _, err = cli.run { "render", script, "--out", dir .. "/out" }
    assert.equal(2, code)
    assert.equal("leastpriv render: " .. dir .. "/out/r: a symbolic link or not a folder on the way (not followed)\n", err)
    assert.equal(".\n", tree(dir .. "/elsewhere"))
    -- a file where a folder must go: the error names it, nothing is left
    cli.rm(dir .. "/out/r")
    write(dir .. "/out/r", "a file\n")
    code, _, err = cli.run { "render", script, "--out", dir .. "/out" }
    assert.equal(2, code)
    assert.matches(dir .. "/out/r: ", err, 1, true)
    assert.equal(".\n./.leastpriv-render.lock\n./r\n", tree(dir .. "/out"))
  end)

  it("replaces nothing but files and links, and then leaves no temporary file", function()
    local script = role_script(dir, "ok.lua", "r", { "read" })
    assert.truthy(sh("mkdir -p " .. q(dir .. "/out/r")))
    if not sh("mkfifo " .. q(dir .. "/out/r/read.json")) then return pending("mkfifo failed") end
    local code, _, err = cli.run { "render", script, "--out", dir .. "/out" }
    assert.equal(2, code)
    assert.matches(dir .. "/out/r/read.json: not a regular file (not replaced)", err, 1, true)
    assert.is_true(sh("test -p " .. q(dir .. "/out/r/read.json")))
    assert.is_nil(tree(dir .. "/out"):find(".tmp", 1, true))
    assert.is_nil(cli.read(dir .. "/out/r/trust.json"))
  end)

  it("writes each file whole under a new random name, then renames it", function()
    local f = assert(core.fsio_open(dir))
    local a = assert(f:write_temp("x.json", "one"))
    local b = assert(f:write_temp("x.json", "two"))
    assert.matches("^%.x%.json%.%x+%.tmp$", a)
    assert.not_equal(a, b)
    assert.is_true(f:rename(a, "x.json"))
    assert.equal("one", cli.read(dir .. "/x.json"))
    assert.truthy(f:remove(b))
    f:close()
    assert.equal(".\n./x.json\n", tree(dir))
  end)

  it("keeps two renders of one folder apart", function()
    local script = role_script(dir, "ok.lua", "r", { "read" })
    assert.truthy(sh("mkdir -p " .. q(dir .. "/out")))
    local f = assert(core.fsio_open(dir .. "/out"))
    assert.is_true(f:lock(files.LOCK))   -- this process writes the folder
    local code, _, err = cli.exec { "render", script, "--out", dir .. "/out" }
    f:close()
    assert.equal(2, code)
    assert.matches(dir .. "/out/.leastpriv-render.lock: locked: another leastpriv is writing this folder", err, 1, true)
    assert.equal(".\n./.leastpriv-render.lock\n", tree(dir .. "/out"))
    code, _, err = cli.exec { "render", script, "--out", dir .. "/out" }
    assert.equal(0, code, err)
  end)
end)

describe("import --out writes only new files, the same safe way", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() cli.rm(dir) end)

  it("never writes through a link planted at the file or at the old temporary name", function()
    assert.truthy(sh("mkdir -p " .. q(dir .. "/roles")))
    write(dir .. "/victim", "precious\n")
    assert.truthy(sh("ln -s " .. q(dir .. "/victim") .. " "
      .. q(dir .. "/roles/sagemaker-execution-role.lua.tmp-import")))
    local code, _, err = cli.run { "import", "spec/fixtures/tf/seed", "--out", dir .. "/roles" }
    assert.equal(0, code, err)
    assert.equal("precious\n", cli.read(dir .. "/victim"))
    assert.matches("^%-%- Imported by", cli.read(dir .. "/roles/sagemaker-execution-role.lua"))
    -- a link where the file goes (dangling, even) counts as a file there
    cli.rm(dir .. "/roles/sagemaker-execution-role.lua")
    assert.truthy(sh("ln -s " .. q(dir .. "/nowhere") .. " " .. q(dir .. "/roles/sagemaker-execution-role.lua")))
    code, _, err = cli.run { "import", "spec/fixtures/tf/seed", "--out", dir .. "/roles" }
    assert.equal(2, code)
    assert.matches("/roles/sagemaker-execution-role.lua: already exists (only new files are written)", err, 1, true)
    assert.is_nil(cli.read(dir .. "/nowhere"))
  end)
end)

describe("the folder handle (core.fsio_open)", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() cli.rm(dir) end)

  it("refuses paths that leave the folder, links on the way, and says what is missing", function()
    local f = assert(core.fsio_open(dir))
    for _, rel in ipairs { "../x", "a/../../x", "/etc/passwd", "", "a//b", "./x", "a/." } do
      local ok, msg = f:write_temp(rel, "x")
      assert.is_nil(ok, rel)
      assert.matches("not a relative path\"?$", msg:gsub('a path component is empty, "%." or "%.%."', "not a relative path"))
    end
    assert.truthy(sh("ln -s /etc " .. q(dir .. "/etc")))
    local ok, msg = f:read("etc/passwd", 1000)
    assert.is_nil(ok)
    assert.equal("etc/passwd: a symbolic link or not a folder on the way (not followed)", msg)
    ok, msg = f:read("etc", 1000)
    assert.is_nil(ok)
    assert.equal("etc: a symbolic link (not followed)", msg)
    assert.equal("link", f:kind("etc"))
    assert.is_nil(f:kind("missing"))
    local _, _, missing = f:remove("missing")
    assert.is_true(missing)
    write(dir .. "/big", ("x"):rep(100))
    ok, msg = f:read("big", 99)
    assert.is_nil(ok)
    assert.equal("big: larger than expected", msg)
    assert.equal(100, #f:read("big", 100))
    ok, msg = f:remove("big", true)
    assert.is_nil(ok)
    assert.equal("big: not a folder", msg)
    f:close()
    assert.has_error(function() f:kind("big") end, "the folder is closed")
    local none, err = core.fsio_open(dir .. "/nope")
    assert.is_nil(none)
    assert.matches("/nope: No such file or directory", err, 1, true)
  end)
end)

describe("render --out removes what a previous render wrote and this one did not", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() cli.rm(dir) end)

  local function render(name, policies)
    local script = role_script(dir, "role.lua", name, policies)
    return cli.run { "render", script, "--out", dir .. "/out" }
  end

  it("removes a renamed policy's old file and a renamed role's folder, and lists what it wrote", function()
    assert.equal(0, (render("r", { "old" })))
    assert.truthy(cli.read(dir .. "/out/r/old.json"))
    local code, _, err = render("r", { "new" })
    assert.equal(0, code, err)
    assert.is_nil(cli.read(dir .. "/out/r/old.json"))
    assert.matches("removed " .. dir .. "/out/r/old.json (written by a previous render, not by this one)", err, 1, true)
    code, _, err = render("s", { "new" })
    assert.equal(0, code, err)
    assert.equal(".\n./.leastpriv-render\n./.leastpriv-render.lock\n./s\n./s/new.json\n./s/trust.json\n",
      tree(dir .. "/out"))
    local manifest = cli.read(dir .. "/out/.leastpriv-render")
    assert.matches("\n%x+ s/trust.json\n%x+ s/new.json\n$", manifest)
  end)

  it("never removes a file the manifest does not list, nor one changed since", function()
    assert.equal(0, (render("r", { "a", "b" })))
    write(dir .. "/out/r/mine.json", "{}\n")
    write(dir .. "/out/notes.txt", "mine\n")
    local f = assert(io.open(dir .. "/out/r/b.json", "ab"))
    f:write("edited\n")
    f:close()
    local code, _, err = render("r", { "a" })
    assert.equal(0, code, err)
    assert.truthy(cli.read(dir .. "/out/r/mine.json"))
    assert.truthy(cli.read(dir .. "/out/notes.txt"))
    assert.matches("edited\n$", cli.read(dir .. "/out/r/b.json"))
    assert.matches("warning: " .. dir .. "/out/r/b.json: not removed, it changed since leastpriv render wrote it", err, 1, true)
  end)

  it("cannot be made to remove anything outside DIR by a tampered manifest", function()
    assert.equal(0, (render("r", { "a" })))
    write(dir .. "/victim", "precious\n")
    local digest = core.fsio_digest("precious\n")
    assert.truthy(sh("mkdir -p " .. q(dir .. "/other") .. " && cp " .. q(dir .. "/victim") .. " " .. q(dir .. "/other/victim")))
    assert.truthy(sh("ln -s " .. q(dir .. "/other") .. " " .. q(dir .. "/out/link")))
    local f = assert(io.open(dir .. "/out/.leastpriv-render", "ab"))
    f:write(digest, " ../victim\n", digest, " r/../../victim\n", digest, " /", dir:sub(2), "/victim\n",
            digest, " link/victim\n", "garbage line\n")
    f:close()
    local code, _, err = render("r", { "a" })
    assert.equal(0, code, err)
    assert.equal("precious\n", cli.read(dir .. "/victim"))
    assert.equal("precious\n", cli.read(dir .. "/other/victim"))
    assert.matches("4 line(s) ignored", err, 1, true)
    assert.is_true(is_link(dir .. "/out/link"))
  end)

  it("refuses a manifest that is a symbolic link", function()
    assert.truthy(sh("mkdir -p " .. q(dir .. "/out")))
    write(dir .. "/elsewhere", "abcdef0123456789 x\n")
    assert.truthy(sh("ln -s " .. q(dir .. "/elsewhere") .. " " .. q(dir .. "/out/.leastpriv-render")))
    local code, _, err = render("r", { "a" })
    assert.equal(2, code)
    assert.matches(dir .. "/out/.leastpriv-render: not a regular file (not followed)", err, 1, true)
    assert.equal("abcdef0123456789 x\n", cli.read(dir .. "/elsewhere"))
  end)
end)

describe("check --output", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() cli.rm(dir) end)

  it("replaces a planted symbolic link instead of writing through it", function()
    write(dir .. "/p.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
      .. '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}')
    write(dir .. "/victim", "precious\n")
    assert.truthy(sh("ln -s " .. q(dir .. "/victim") .. " " .. q(dir .. "/report.json")))
    local code, out, err = exec_in(dir, { "check", "p.json", "--format", "json", "--output", "report.json" })
    assert.equal(0, code, err)
    assert.equal("", out)
    assert.equal("precious\n", cli.read(dir .. "/victim"))
    assert.is_false(is_link(dir .. "/report.json"))
    assert.matches('^{\n  "findings": %[%]', cli.read(dir .. "/report.json"))
    -- a linked folder inside the current directory is not followed
    assert.truthy(sh("mkdir " .. q(dir .. "/real") .. " && ln -s real " .. q(dir .. "/reports")))
    code, out, err = exec_in(dir, { "check", "p.json", "--output", "reports/r.txt" })
    assert.equal("", out)
    assert.equal(2, code)
    assert.equal("leastpriv check: reports/r.txt: a symbolic link or not a folder on the way (not followed)\n", err)
    assert.equal(".\n", tree(dir .. "/real"))
    code, out, err = exec_in(dir, { "check", "p.json", "--output", "missing/r.txt" })
    assert.equal("", out)
    assert.equal(2, code)
    assert.matches("missing/r.txt: ", err, 1, true)
    -- an absolute path inside the current directory: the same walk
    code, out, err = exec_in(dir, { "check", "p.json", "--output", dir .. "/reports/r.txt" })
    assert.equal("", out)
    assert.equal(2, code)
    assert.matches("reports/r.txt: a symbolic link or not a folder on the way (not followed)", err, 1, true)
    code, out, err = exec_in(dir, { "check", "p.json", "--output", dir .. "/real/r.txt" })
    assert.equal("", out)
    assert.equal(0, code, err)
    assert.truthy(cli.read(dir .. "/real/r.txt"))
    -- nothing but a file or a link is replaced
    if sh("mkfifo " .. q(dir .. "/fifo")) then
      code, out, err = exec_in(dir, { "check", "p.json", "--output", "fifo" })
      assert.equal("", out)
      assert.equal(2, code)
      assert.equal("leastpriv check: fifo: not a regular file\n", err)
    end
  end)

  it("writes to a device outside the current directory as given, never replacing it", function()
    local code, out, err = cli.exec { "check", "spec/fixtures/check/plan.json", "--output", "/dev/null" }
    assert.equal(1, code, err)
    assert.equal("", out)
    assert.is_true(sh("test -c /dev/null"))
    code, out = cli.exec { "check", "spec/fixtures/check/plan.json", "--output", "/dev/stdout" }
    assert.equal(1, code)
    assert.matches("findings", out, 1, true)
    assert.is_true(sh("test -c /dev/null"))
  end)
end)

describe("an input reached through a symbolic link out of the current directory", function()
  local dir, outside
  before_each(function()
    dir, outside = cli.tmpdir(), cli.tmpdir()
    write(outside .. "/secrets", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n")
    assert.truthy(sh("ln -s " .. q(outside .. "/secrets") .. " " .. q(dir .. "/policy.json")))
    assert.truthy(sh("ln -s " .. q(outside .. "/secrets") .. " " .. q(dir .. "/role.lua")))
    write(dir .. "/inside.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
      .. '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}')
    assert.truthy(sh("ln -s inside.json " .. q(dir .. "/alias.json")))
  end)
  after_each(function() cli.rm(dir); cli.rm(outside) end)

  it("is not read, and its content never shows", function()
    for _, argv in ipairs {
      { "check", "policy.json" }, { "check", "role.lua" }, { "render", "role.lua" },
      { "diff", "inside.json", "policy.json" }, { "minimize", "policy.json" },
      { "simulate", "policy.json", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k" },
      { "overgrant", "inside.json", "--needs", "policy.json" },
      { "check", "inside.json", "--config", "policy.json" },
    } do
      local code, out, err = exec_in(dir, argv)
      assert.equal(2, code, argv[1])
      assert.matches(": a symbolic link that leads out of the current directory: not read", err, 1, true)
      assert.is_nil((out .. err):find("wJalrXUtnFEMI", 1, true), argv[1])
    end
  end)

  it("is read when the link stays inside, or the path is given explicitly", function()
    local code, _, err = exec_in(dir, { "diff", "inside.json", "alias.json" })
    assert.equal(0, code, err)
    code, _, err = exec_in(dir, { "check", outside .. "/secrets" })
    assert.equal(1, code)   -- explicit: read (a JSON syntax error, located)
    assert.matches("JSON_SYNTAX_ERROR", err .. select(2, exec_in(dir, { "check", outside .. "/secrets" })), 1, true)
  end)
end)
