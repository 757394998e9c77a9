-- leastpriv diff as a "no new access" gate: conditions by implication,
-- Deny changes, the request each new grant comes with, exit codes, and
-- --git REF.  AWS: "If any policy explicitly denies the action, the request
-- is denied" (policy evaluation logic), so a Deny that goes away or
-- narrows is new access; one that is added is not.
local analysis = require "leastpriv.analysis"
local core = require "leastpriv.core"
local lp = require "leastpriv"
local cli = require "support.cli"

local function doc(statements)
  for _, s in ipairs(statements) do
    s.Effect = s.Effect or "Allow"
  end
  return core.policy_normalize({ Version = "2012-10-17", Statement = statements })
end

local OBJ = "arn:aws:s3:::b/*"
local TLS = { Bool = { ["aws:SecureTransport"] = "true" } }
local PROD = { StringEquals = { ["aws:PrincipalTag/env"] = "prod" } }

local function get(cond) return { Action = "s3:GetObject", Resource = OBJ, Condition = cond } end

local function diff(old, new) return analysis.diff({ old }, { new }) end

-- Every new grant carries a request the engine allows under NEW, not OLD.
local function assert_verified(report, old, new)
  for _, e in ipairs(report.entries) do
    for _, g in ipairs(e.added) do
      local cx = g.counterexample
      assert.truthy(cx, "a new grant without a request: " .. g.action)
      local req = { action = cx.action, resource = cx.resource, context = cx.context }
      assert.equal("allow", (lp.simulate(req, new)))
      assert.are_not.equal("allow", (lp.simulate(req, old)))
    end
  end
end

describe("diff: conditions", function()
  it("adding a condition to a statement is narrower, not new access", function()
    for _, c in ipairs { TLS, PROD, { IpAddress = { ["aws:SourceIp"] = "10.0.0.0/8" } } } do
      local r = diff(doc { get() }, doc { get(c) })
      assert.is_false(r.new_access)
      assert.is_false(r.unproven)
    end
  end)

  it("adding a key to a condition is narrower", function()
    local both = { Bool = TLS.Bool, StringEquals = PROD.StringEquals }
    local r = diff(doc { get(TLS) }, doc { get(both) })
    assert.is_false(r.new_access)
    assert.is_false(r.unproven)
  end)

  it("a wider condition is new access, with a request that shows it", function()
    local old = doc { get(PROD) }
    local new = doc { get { StringEquals = { ["aws:PrincipalTag/env"] = { "prod", "dev" } } } }
    local r = diff(old, new)
    assert.is_true(r.new_access)
    local cx = r.entries[1].added[1].counterexample
    assert.equal("dev", cx.context["aws:PrincipalTag/env"])
    assert_verified(r, old, new)
  end)

  it("dropping a condition is new access", function()
    local old, new = doc { get(TLS) }, doc { get() }
    local r = diff(old, new)
    assert.is_true(r.new_access)
    assert_verified(r, old, new)
  end)

  it("a condition given across several old statements is not new", function()
    local old = doc { get(PROD), get { StringEquals = { ["aws:PrincipalTag/env"] = "dev" } } }
    local new = doc { get { StringEquals = { ["aws:PrincipalTag/env"] = { "prod", "dev" } } } }
    local r = diff(old, new)
    assert.is_false(r.new_access)
    assert.is_false(r.unproven)
  end)

  it("a change it cannot decide is unproven: neither new nor safe", function()
    local old = doc { get { StringLike = { ["s3:ExistingObjectTag/k"] = "*?" } } }
    local new = doc { get { StringLike = { ["s3:ExistingObjectTag/k"] = "?*" } } }
    local r = diff(old, new)
    assert.is_false(r.new_access)
    assert.is_true(r.unproven)
    assert.matches("not proven narrower", r.entries[1].unproven[1].reason)
  end)

  it("a narrower resource pattern with the same condition is not new", function()
    local old = doc { get(TLS) }
    local new = doc { { Action = "s3:GetObject", Resource = "arn:aws:s3:::b/in/*", Condition = TLS } }
    assert.is_false(diff(old, new).new_access)
  end)

  it("a wildcard the old pattern only matches as a letter is new ('?' does not contain '*')", function()
    local old = doc { { Action = "s3:GetObject", Resource = "arn:aws:s3:::b/?" } }
    local new = doc { { Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" } }
    local r = diff(old, new)
    assert.is_true(r.new_access)
    assert_verified(r, old, new)
  end)
end)

describe("diff: Deny", function()
  local allow = { Action = "s3:*", Resource = "*" }
  local deny = { Effect = "Deny", Action = "s3:DeleteObject", Resource = OBJ }

  it("removing a Deny is new access, with a request OLD denies explicitly", function()
    local old, new = doc { allow, deny }, doc { allow }
    local r = diff(old, new)
    assert.is_true(r.new_access)
    local d = r.entries[1].deny_removed[1]
    assert.equal("s3:DeleteObject", d.action)
    assert.equal("explicit_deny", d.counterexample.old)
    local req = { action = d.counterexample.action, resource = d.counterexample.resource }
    assert.equal("explicit_deny", (lp.simulate(req, old)))
    assert.equal("allow", (lp.simulate(req, new)))
  end)

  it("narrowing a Deny's resources or actions is new access", function()
    local narrower = { Effect = "Deny", Action = "s3:DeleteObject", Resource = "arn:aws:s3:::b/in/*" }
    assert.is_true(diff(doc { allow, deny }, doc { allow, narrower }).new_access)
    local two = { Effect = "Deny", Action = { "s3:DeleteObject", "s3:PutObject" }, Resource = OBJ }
    assert.is_true(diff(doc { allow, two }, doc { allow, deny }).new_access)
  end)

  it("loosening a Deny's condition is new access; tightening it is not", function()
    local mfa = { Effect = "Deny", Action = "s3:DeleteObject", Resource = OBJ,
                  Condition = { BoolIfExists = { ["aws:MultiFactorAuthPresent"] = "false" } } }
    local prod_only = { Effect = "Deny", Action = "s3:DeleteObject", Resource = OBJ,
                        Condition = { BoolIfExists = { ["aws:MultiFactorAuthPresent"] = "false" },
                                      StringEquals = { ["aws:PrincipalTag/env"] = "prod" } } }
    -- a Deny under more keys applies to fewer requests: looser
    local r = diff(doc { allow, mfa }, doc { allow, prod_only })
    assert.is_true(r.new_access)
    assert.equal(1, #r.entries[1].deny_removed)
    -- a Deny under fewer keys applies to more: tighter, not new
    assert.is_false(diff(doc { allow, prod_only }, doc { allow, mfa }).new_access)
    -- an unconditional Deny is tighter than a conditional one
    assert.is_false(diff(doc { allow, mfa }, doc { allow, deny }).new_access)
  end)

  it("adding a Deny is not new access", function()
    local r = diff(doc { allow }, doc { allow, deny })
    assert.is_false(r.new_access)
    assert.is_false(r.unproven)
  end)

  it("a Deny that keeps its effect under another text is no change", function()
    local same = { Effect = "Deny", Action = { "s3:deleteobject" }, Resource = { OBJ }, Sid = "X" }
    local r = diff(doc { allow, deny }, doc { allow, same })
    assert.is_false(r.new_access)
    assert.is_false(r.unproven)
  end)
end)

describe("diff: the unknown hook", function()
  it("an entry known only after apply is possibly new access", function()
    local new = { kind = "policy", name = "p", document = doc { get() }, unknown = { "policy: known after apply" } }
    local old = { kind = "policy", name = "p", document = doc { get() } }
    local r = analysis.diff({ old }, { new })
    assert.is_true(r.possibly_new)
    assert.is_false(r.new_access)
  end)
end)

-- Trust: "sts:AssumeRole ... the trust policy of the role must allow the
-- caller" (IAM, "Granting a user permissions to switch roles"); a new
-- principal or a looser condition is new access only with a request that
-- NEW's trust allows and OLD's denies.
local ALLOW_ASSUME = { Version = "2012-10-17", Statement = {
  { Effect = "Allow", Action = "sts:AssumeRole*", Resource = "*" } } }

local function trust_role(trust)
  return lp.role { name = "r", trust = trust, policies = {} }
end

-- Every trust + carries a request the engine decides: allow under NEW,
-- not under OLD, with the same policies on the caller's side.
local function assert_trust_verified(report, old, new)
  local n = 0
  for _, e in ipairs(report.entries) do
    for _, t in ipairs(e.trust_added) do
      local cx = t.counterexample
      assert.truthy(cx, "a trust + without a request: " .. t.principal)
      local req = { action = cx.action, resource = cx.resource, principal = cx.principal, context = cx.context }
      local function groups(role) return cx.caller and { role = role, caller = ALLOW_ASSUME } or role end
      assert.equal("allow", (lp.simulate(req, groups(new))))
      assert.are_not.equal("allow", (lp.simulate(req, groups(old))))
      n = n + 1
    end
  end
  return n
end

describe("diff: trust", function()
  it("a new service principal is new access, with the request it makes", function()
    local old = trust_role(lp.trust.service("ec2.amazonaws.com"))
    local new = trust_role({ Version = "2012-10-17", Statement = {
      { Effect = "Allow", Principal = { Service = { "ec2.amazonaws.com", "lambda.amazonaws.com" } },
        Action = "sts:AssumeRole" } } })
    local r = diff(old, new)
    assert.is_true(r.new_access)
    local cx = r.entries[1].trust_added[1].counterexample
    assert.equal("lambda.amazonaws.com", cx.principal)
    assert.equal("sts:AssumeRole", cx.action)
    assert.equal(1, assert_trust_verified(r, old, new))
  end)

  it("a new account is new access, decided with the account's side allowing", function()
    local old = trust_role(lp.trust.aws("111122223333"))
    local new = trust_role(lp.trust.aws({ "111122223333", "444455556666" }))
    local r = diff(old, new)
    assert.is_true(r.new_access)
    local cx = r.entries[1].trust_added[1].counterexample
    assert.matches("444455556666", cx.principal, 1, true)
    assert.is_true(cx.caller)
    assert.equal(1, assert_trust_verified(r, old, new))
  end)

  it("a looser condition is new access, with the context that shows it", function()
    local function ext(v)
      return { Version = "2012-10-17", Statement = {
        { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/ci" },
          Action = "sts:AssumeRole", Condition = { StringEquals = { ["sts:ExternalId"] = v } } } } }
    end
    local old, new = trust_role(ext("a")), trust_role(ext({ "a", "b" }))
    local r = diff(old, new)
    assert.is_true(r.new_access)
    local cx = r.entries[1].trust_added[1].counterexample
    assert.equal("b", cx.context["sts:ExternalId"])
    assert.equal(1, assert_trust_verified(r, old, new))
  end)

  it("a trust change no request shows is unproven, never trust +", function()
    -- "*?" and "?*" match the same values, which the implication check
    -- does not decide, and no request tells them apart
    local function like(v)
      return { Version = "2012-10-17", Statement = {
        { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/ci" },
          Action = "sts:AssumeRole", Condition = { StringLike = { ["sts:ExternalId"] = v } } } } }
    end
    local old, new = trust_role(like("*?")), trust_role(like("?*"))
    local r = diff(old, new)
    assert.is_false(r.new_access)
    assert.is_true(r.unproven)
    assert.equal(0, #r.entries[1].trust_added)
    assert.equal(1, #r.entries[1].trust_unproven)
  end)
end)

local F = "spec/fixtures/analysis/"

describe("leastpriv diff: exit codes and output", function()
  local dir = cli.tmpdir()
  local function write(name, d)
    local path = dir .. "/" .. name
    local f = assert(io.open(path, "w"))
    f:write(core.policy_json(d))
    f:close()
    return path
  end
  local plain = write("plain.json", doc { get() })
  local tls = write("tls.json", doc { get(TLS) })
  local odd_old = write("odd_old.json", doc { get { StringLike = { ["s3:ExistingObjectTag/k"] = "*?" } } })
  local odd_new = write("odd_new.json", doc { get { StringLike = { ["s3:ExistingObjectTag/k"] = "?*" } } })

  it("0: a condition added", function()
    local code, out = cli.run { "diff", plain, tls }
    assert.equal(0, code)
    assert.matches("- on arn:aws:s3:::b/*: s3:GetObject", out, 1, true)
  end)

  it("1: new access, with the request and the simulate command that decides it", function()
    local code, out = cli.run { "diff", tls, plain }
    assert.equal(1, code)
    assert.matches("+ on arn:aws:s3:::b/*: s3:GetObject", out, 1, true)
    assert.matches("e.g. s3:GetObject on arn:aws:s3:::b/leastpriv-example", out, 1, true)
    local cmd = out:match("(leastpriv simulate [^\n]+)")
    assert.truthy(cmd)
    -- the command, run, says allow under NEW
    local argv = {}
    for w in cmd:gsub("^leastpriv ", ""):gmatch("%S+") do argv[#argv + 1] = w end
    local scode, sout = cli.run(argv)
    assert.equal(0, scode)
    assert.equal("allow\n", sout)
  end)

  it("3: only unproven condition changes", function()
    local code, out = cli.run { "diff", odd_old, odd_new }
    assert.equal(3, code)
    assert.matches("? on arn:aws:s3:::b/* if", out, 1, true)
    assert.matches("conditions changed, not proven narrower", out, 1, true)
  end)

  it("--json carries the request of each new grant and the flags", function()
    local code, out = cli.run { "diff", tls, plain, "--json" }
    assert.equal(1, code)
    local r = require("cjson").decode(out)
    assert.is_true(r.new_access)
    local req = r.entries[1].added[1].request
    assert.equal("s3:GetObject", req.action)
    assert.equal("allow", req.new)
    assert.equal("implicit_deny", req.old)
    assert.matches("^leastpriv simulate ", req.command)
  end)

  it("trust +: the request, and the simulate command that decides it on each side", function()
    local function script(name, services)
      local path = dir .. "/" .. name
      local f = assert(io.open(path, "w"))
      f:write(([[
local lp = require "leastpriv"
return lp.role { name = "worker", policies = {}, trust = { Version = "2012-10-17", Statement = {
  { Effect = "Allow", Principal = { Service = { %s } }, Action = "sts:AssumeRole" } } } }
]]):format(services))
      f:close()
      return path
    end
    local old = script("trust_old.lua", '"ec2.amazonaws.com"')
    local new = script("trust_new.lua", '"ec2.amazonaws.com", "lambda.amazonaws.com"')
    local code, out = cli.run { "diff", old, new }
    assert.equal(1, code, out)
    assert.matches("trust + Service:lambda.amazonaws.com may sts:AssumeRole\n" ..
      "      e.g. sts:AssumeRole by lambda.amazonaws.com: NEW allow, OLD implicit_deny\n", out, 1, true)
    local cmd = out:match("(leastpriv simulate [^\n]+)")
    assert.matches("--action sts:AssumeRole --principal lambda.amazonaws.com", cmd, 1, true)
    local argv = {}
    for w in cmd:gsub("^leastpriv ", ""):gmatch("%S+") do argv[#argv + 1] = w end
    local scode, sout = cli.run(argv)
    assert.equal(0, scode)
    assert.equal("allow\n", sout)
    argv[2] = old
    scode, sout = cli.run(argv)
    assert.equal(1, scode)
    assert.equal("implicit_deny\n", sout)
    code, out = cli.run { "diff", old, new, "--json" }
    assert.equal(1, code)
    local req = require("cjson").decode(out).entries[1].trust_added[1].request
    assert.equal("lambda.amazonaws.com", req.principal)
    assert.equal("allow", req.new)
    assert.equal("implicit_deny", req.old)
    assert.matches("--principal lambda.amazonaws.com", req.command, 1, true)
  end)

  it("--help names --git and every exit status", function()
    local _, out = cli.run { "diff", "--help" }
    assert.matches("--git REF [PATH...]", out, 1, true)
    assert.matches("3 when the only changes are unproven ones", out, 1, true)
    assert.matches("2 on usage or input errors", out, 1, true)
  end)

  it("2: usage and input errors, one line naming the file", function()
    local code, _, err = cli.run { "diff", plain }
    assert.equal(2, code)
    assert.matches("give two files", err, 1, true)
    code, _, err = cli.run { "diff", F .. "old.json", dir .. "/nope.json" }
    assert.equal(2, code)
    assert.matches("nope.json: cannot read the file", err, 1, true)
    assert.not_matches("%.lua:%d+:", err)
  end)
end)

describe("leastpriv diff --git", function()
  local root = (os.getenv("PWD") or "."):gsub("/$", "")
  local function sh(cmd)
    local p = io.popen(cmd .. " 2>&1; echo \"exit:$?\"")
    local out = p:read("*a")
    p:close()
    local code = tonumber(out:match("exit:(%d+)\n$"))
    return code, (out:gsub("exit:%d+\n$", ""))
  end
  local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
  local has_git = sh("git --version") == 0

  local repo
  local function write(path, text)
    sh("mkdir -p " .. q((repo .. "/" .. path):match("^(.*)/")))
    local f = assert(io.open(repo .. "/" .. path, "w"))
    f:write(text)
    f:close()
  end
  local function role(name, actions)
    return ([[
local lp = require "leastpriv"
return lp.role { name = %q, trust = lp.trust.service("ec2.amazonaws.com"),
  policies = { p = lp.policy { lp.allow { action = { %s }, resource = "arn:aws:s3:::b/*" } } } }
]]):format(name, actions)
  end
  local function leastpriv(args)
    return sh("cd " .. q(repo) .. " && " .. cli.LUA .. q(root .. "/bin/leastpriv") .. " " .. args)
  end

  before_each(function()
    if not has_git then return end
    repo = cli.tmpdir()
    assert.equal(0, (sh("cd " .. q(repo) .. " && git init -q && git config user.email t@example.com" ..
                        " && git config user.name t")))
    write("roles/reader.lua", role("reader", '"s3:GetObject"'))
    write("roles/gone.lua", role("gone", '"s3:GetObject"'))
    write("roles/lib/helper.lua", "return { bucket = 'b' }\n")
    write("roles/doc.json", core.policy_json(doc { get() }))
    assert.equal(0, (sh("cd " .. q(repo) .. " && git add -A && git commit -qm one")))
  end)

  after_each(function()
    if repo then os.execute("rm -rf " .. q(repo)) end
  end)

  it("compares the files at a revision with the working tree, roles by name", function()
    if not has_git then pending("git is not installed") return end
    write("roles/reader.lua", role("reader", '"s3:GetObject", "s3:PutObject"'))
    os.remove(repo .. "/roles/gone.lua")
    write("roles/fresh.lua", role("fresh", '"s3:ListBucket"'))
    local code, out = leastpriv("diff --git HEAD roles/")
    assert.equal(1, code, out)
    assert.matches("role reader:\n  + on arn:aws:s3:::b/*: s3:PutObject", out, 1, true)
    assert.matches("leastpriv simulate roles/reader.lua --role reader --action s3:PutObject", out, 1, true)
    assert.matches("role gone (removed):", out, 1, true)
    assert.matches("role fresh (new):", out, 1, true)
    -- the old files were read, not checked out: the working tree is as it was
    local _, status = sh("cd " .. q(repo) .. " && git status --porcelain")
    assert.matches("D roles/gone.lua", status, 1, true)
  end)

  it("exits 0 when nothing changed, with the default path", function()
    if not has_git then pending("git is not installed") return end
    local code, out = leastpriv("diff --git HEAD")
    assert.equal(0, code, out)
    assert.matches("no change in what is allowed", out, 1, true)
  end)

  it("sees a narrowed JSON document as no new access", function()
    if not has_git then pending("git is not installed") return end
    write("roles/doc.json", core.policy_json(doc { get(TLS) }))
    local code, out = leastpriv("diff --git HEAD roles")
    assert.equal(0, code, out)
    assert.matches("\nroles/doc.json:\n  - on", out, 1, true)
  end)

  it("rejects a bad revision and a script error at the revision, naming it", function()
    if not has_git then pending("git is not installed") return end
    local code, out = leastpriv("diff --git no-such-branch roles")
    assert.equal(2, code)
    assert.matches("no such revision", out, 1, true)
    code, out = leastpriv("diff --git --upload-pack=x roles")
    assert.equal(2, code)
    assert.matches("not a revision name", out, 1, true)
    write("roles/reader.lua", "error('boom')\n")
    assert.equal(0, (sh("cd " .. q(repo) .. " && git commit -qam broken")))
    write("roles/reader.lua", role("reader", '"s3:GetObject"'))
    code, out = leastpriv("diff --git HEAD roles")
    assert.equal(2, code)
    assert.matches("HEAD:roles/reader.lua:1:", out, 1, true)
    assert.not_matches("/tmp", out, 1, true)
  end)
end)

describe("diff and minimize: bounded work on repeated patterns (issue 12)", function()
  it("expands each distinct action pattern once, and '*' once for all", function()
    local stars, mixed = {}, {}
    for i = 1, 50000 do stars[i] = "*" end
    for i = 1, 20000 do mixed[i] = (i % 2 == 0) and "s3:Get*" or "S3:GET*" end
    local calls = 0
    local expand = core.catalog_expand
    core.catalog_expand = function(p) calls = calls + 1; return expand(p) end
    local ok, err = pcall(function()
      local star_doc = doc { { Action = stars, Resource = "*" } }
      local r = analysis.diff({ star_doc }, { star_doc })
      assert.is_false(r.new_access)
      assert.truthy(r.entries[1].unchanged > 20000)
      analysis.minimize(star_doc)
      local before = calls
      analysis.diff({ doc { { Action = mixed, Resource = "*" } } }, { doc { { Action = mixed, Resource = "*" } } })
      -- one expansion of the one distinct pattern per side
      assert.is_true(calls - before <= 4, ("%d expansions"):format(calls - before))
    end)
    core.catalog_expand = expand
    assert(ok, err)
    assert.is_true(calls < 50, ("%d expansions for 50,000 \"*\""):format(calls))
  end)
end)

describe("diff: a request for every new grant, also for thousands", function()
  it("Allow * on * against one action: each of the new grants has a checked request", function()
    local old = doc { { Action = "s3:ListAllMyBuckets", Resource = "*" } }
    local new = doc { { Action = "*", Resource = "*" } }
    local r = diff(old, new)
    local added = r.entries[1].added
    assert.truthy(#added > 20000)
    assert.equal(0, #r.entries[1].unproven)
    for i = 1, #added, 997 do           -- a sample checked again here
      local cx = added[i].counterexample
      assert.equal("allow", (lp.simulate({ action = cx.action, resource = cx.resource }, new)))
      assert.equal("implicit_deny", (lp.simulate({ action = cx.action, resource = cx.resource }, old)))
    end
    for _, g in ipairs(added) do assert.truthy(g.counterexample) end
  end)
end)
