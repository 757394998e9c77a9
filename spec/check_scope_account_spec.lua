-- leastpriv check infers --account from the role scripts' lp.scope: a
-- cross-account trust finding that needs the roles' own account appears
-- without the flag when the scopes name it, and no account is guessed
-- when the scripts disagree.
local cli = require "support.cli"
local cjson = require "cjson"
local scope = require "leastpriv.scope"
local check_script = require "leastpriv.check.script"
local template = require "leastpriv.template"

local CODE = "TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID"

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- A role trusting another account's root (444455556666), in a scope of
-- account (a Lua expression); before: lines run before the scope.
local function role_script(account, before)
  return (before or "") .. ([[
local lp = require "leastpriv"
local aws = lp.scope { account = %s, region = "us-east-1" }
return lp.role {
  name = "reader",
  trust = lp.trust.aws("arn:aws:iam::444455556666:root"),
  policies = { read = lp.policy { lp.allow { action = "logs:GetLogEvents",
                                             resource = aws.logs.streams("/app") } } },
}
]]):format(account)
end

local function count(args)
  local argv = { "check", "--format", "json", "--no-config" }
  for _, a in ipairs(args) do argv[#argv + 1] = a end
  local _, out, err = cli.run(argv)
  assert(out ~= "", err)
  local n = 0
  for _, f in ipairs(cjson.decode(out).findings) do
    if f.code == CODE then n = n + 1 end
  end
  return n
end

describe("check's account from the scripts' lp.scope", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() cli.rm(dir) end)

  it("reports the other account's trust without --account when the scope names the own one", function()
    write(dir .. "/r.lua", role_script('"111122223333"'))
    assert.equal(1, count { dir .. "/r.lua" })
  end)

  it("takes an lp.var account's declared default, and its --set value", function()
    write(dir .. "/r.lua", role_script("acct",
      'local acct = require("leastpriv").var("account_id", { default = "111122223333" })\n'))
    assert.equal(1, count { dir .. "/r.lua" })
    -- the trusted account is the own one: not cross-account
    assert.equal(0, count { "--set", "account_id=444455556666", dir .. "/r.lua" })
  end)

  it("lets --account win over the scope", function()
    write(dir .. "/r.lua", role_script('"111122223333"'))
    assert.equal(0, count { "--account", "444455556666", dir .. "/r.lua" })
  end)

  it("guesses nothing when the scripts name different accounts", function()
    write(dir .. "/a.lua", role_script('"111122223333"'))
    write(dir .. "/b.lua", role_script('"777788889999"'))
    assert.equal(0, count { dir .. "/a.lua", dir .. "/b.lua" })
    -- nor when one script names two
    write(dir .. "/c.lua", role_script('"111122223333"',
      'local _ = require("leastpriv").scope { account = "777788889999" }\n'))
    assert.equal(0, count { dir .. "/c.lua" })
  end)

  it("uses the one account that agreeing scripts name, across files", function()
    write(dir .. "/a.lua", role_script('"111122223333"'))
    write(dir .. "/b.lua", role_script('"111122223333"'))
    write(dir .. "/c.lua", role_script('"*"'))
    -- a script that names no account (only "*") does not disagree, and the
    -- run's account is the agreed one for it too
    assert.equal(3, count { dir .. "/a.lua", dir .. "/b.lua", dir .. "/c.lua" })
  end)

  it("ignores values that are no 12-digit account", function()
    for _, v in ipairs { '"*"', '"12345"', '"1111222233334"', 'acct .. "1"' } do
      write(dir .. "/r.lua", role_script(v,
        'local acct = require("leastpriv").var("account_id", { default = "11112222333" })\n'))
      assert.equal(0, count { dir .. "/r.lua" }, v)
    end
  end)
end)

describe("scope account registry", function()
  it("records the accounts named since begin(), in first-use order, once each", function()
    scope.begin()
    scope.new { account = "111122223333" }
    scope.new { region = "us-east-1" }
    scope.new { account = "*" }
    scope.new { account = "111122223333" }
    assert.same({ "111122223333", "*" }, scope.accounts())
    scope.begin()
    assert.same({}, scope.accounts())
  end)

  it("resolves placeholders and keeps only 12-digit accounts", function()
    local ph = template.OPEN .. "var.a" .. template.CLOSE
    assert.same({ "111122223333", "222233334444" }, check_script.scope_accounts(
      { "222233334444", ph, "*", ph .. "1", "x", "222233334444" }, { a = "111122223333" }))
    assert.same({}, check_script.scope_accounts({ ph }, {}))
  end)
end)
