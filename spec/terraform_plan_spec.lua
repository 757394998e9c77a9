-- Issue 15: what terraform plans is what `--format json` shows.  Every
-- example script and an adversarial set are rendered as Terraform (module
-- folder, hcl-doc, managed policies with the exclusive resources), planned
-- together with the local aws provider mirror (offline, dummy credentials),
-- and every planned policy is compared, as an IAM document, with the JSON
-- render of the same script and values.  Skipped where terraform or the
-- mirror is absent.
local cli = require "support.cli"
local cjson = require "cjson"
local core = require "leastpriv.core"
local script = require "leastpriv.script"
local tf = require "fixtures.hcl.tf"

-- Values for the inputs without a default.
local VALUES = {
  account_id = "123456789012", bucket_name = "my-ml-training-data", ecr_repository = "training",
  github_repository = "octo/site", external_id = "vendor-123", role_name = "seed-role",
  big = "9007199254740993", prefix = "$$", tail = "%{x}",
}

-- Adversarial scripts: runs of $ % & { } next to variables, numbers that
-- tostring or a double would change, a document without Version, Latin-1.
local ADVERSARIAL = {
  runs = [[
local lp = require "leastpriv"
local b = lp.var("bucket_name")
local prefix = lp.var("prefix")
local tail = lp.var("tail")
return lp.role { name = "runs", trust = lp.trust.service("ec2.amazonaws.com"),
  policies = { runs = lp.policy { lp.allow { action = "s3:GetObject", resource = {
    "arn:aws:s3:::" .. b .. "/$$" .. prefix .. "/*", "arn:aws:s3:::" .. b .. "/%%" .. tail .. "$",
    "arn:aws:s3:::" .. b .. "/{" .. prefix .. "}&" .. tail, "arn:aws:s3:::" .. b .. "/$${literal}/%{x}",
    "arn:aws:s3:::" .. b .. "/caf\195\169/${aws:username}" } } } } }
]],
  numbers = [[
local lp = require "leastpriv"
local big = lp.var("big", { type = "number" })
local n = lp.var("n", { type = "number", default = 1e15 })
local age = lp.var("age", { type = "number", default = 3600.0 })
local tls = lp.var("tls", { type = "bool", default = true })
return lp.role { name = "numbers", trust = lp.trust.service("ec2.amazonaws.com"),
  policies = { numbers = lp.policy { lp.allow { action = "s3:ListBucket",
    resource = "arn:aws:s3:::b-" .. n .. "-" .. big,
    condition = { NumericLessThan = { ["aws:MultiFactorAuthAge"] = age },
                  NumericEquals = { ["s3:max-keys"] = big },
                  Bool = { ["aws:SecureTransport"] = tls } } } } } }
]],
  noversion = [[
local lp = require "leastpriv"
local doc = lp.load_json('{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
  .. '"Resource": "arn:aws:s3:::b/legacy/*"}]}')
return lp.role { name = "noversion", trust = lp.trust.service("ec2.amazonaws.com"),
  policies = { legacy = doc } }
]],
}

-- An IAM document in a form that compares equal when IAM reads it alike:
-- normalised, absent Version as 2008-10-17, lists as sets, keys sorted.
local function canonical(text)
  local doc = core.policy_normalize(cjson.decode(text))
  doc.Version = doc.Version or "2008-10-17"
  local function enc(v)
    if type(v) ~= "table" then return core.json_encode(v) end
    local parts = {}
    if v[1] ~= nil then
      for i, x in ipairs(v) do parts[i] = enc(x) end
      table.sort(parts)
      return "[" .. table.concat(parts, ",") .. "]"
    end
    for k, x in pairs(v) do parts[#parts + 1] = core.json_encode(k) .. ":" .. enc(x) end
    table.sort(parts)
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return enc(doc)
end

local function sets_for(path)
  local _, variables = script.load(path)
  local args, inputs = {}, {}
  for _, v in ipairs(variables) do
    if v.default == nil then
      local value = assert(VALUES[v.name], "no test value for input " .. v.name)
      args[#args + 1] = "--set"
      args[#args + 1] = v.name .. "=" .. value
      inputs[v.name] = { value = value, type = v.type }
    end
  end
  return args, inputs
end

local function run_ok(argv)
  local code, out, err = cli.run(argv)
  assert(code == 0, table.concat(argv, " ") .. ": " .. err)
  return out
end

-- The JSON documents render writes for path (canonical texts, sorted).
local function json_documents(path, sets, dir)
  local argv = { "render", path, "--out", dir }
  for _, a in ipairs(sets) do argv[#argv + 1] = a end
  run_ok(argv)
  local docs = {}
  local p = io.popen("find " .. tf.quote(dir) .. " -name '*.json' | sort")
  for file in p:lines() do docs[#docs + 1] = canonical(tf.read(file)) end
  p:close()
  table.sort(docs)
  return docs
end

describe("terraform plans what --format json shows", function()
  it("for every example and the adversarial set, in every Terraform format", function()
    if not tf.available() then return pending("terraform not found: plan comparison skipped") end
    local mirror = tf.aws_mirror()
    if not mirror then return pending("no local aws provider mirror (/opt/tf-plugins): plan comparison skipped") end
    local dir = tf.tmpdir()
    finally(function() tf.rmrf(dir) end)
    local scripts = {}
    local p = io.popen("ls examples/*/*.lua")
    for path in p:lines() do scripts[#scripts + 1] = path end
    p:close()
    assert.is_true(#scripts >= 5)
    tf.run("mkdir -p " .. tf.quote(dir .. "/adv"))
    for name, text in pairs(ADVERSARIAL) do
      local path = dir .. "/adv/" .. name .. ".lua"
      tf.write(path, text)
      scripts[#scripts + 1] = path
    end
    table.sort(scripts)

    local root = { { block = "provider", labels = { "aws" }, body = {
      { attr = "region", value = "us-east-1" }, { attr = "access_key", value = "test" },
      { attr = "secret_key", value = "test" },
      { attr = "skip_credentials_validation", value = true },
      { attr = "skip_requesting_account_id", value = true },
      { attr = "skip_metadata_api_check", value = true } } } }
    local expected = {}           -- module name -> sorted canonical documents
    for i, path in ipairs(scripts) do
      local sets, inputs = sets_for(path)
      local docs = json_documents(path, sets, ("%s/json/%d"):format(dir, i))
      local variants = {
        { "m" .. i, { "--format", "terraform" } },
        { "m" .. i .. "_doc", { "--format", "hcl-doc" } },
        { "m" .. i .. "_managed", { "--format", "terraform", "--managed-policies", "--exclusive" } },
      }
      for _, variant in ipairs(variants) do
        local name, flags = variant[1], variant[2]
        local out = dir .. "/" .. name
        local argv = { "render", path, "--out", out }
        for _, a in ipairs(flags) do argv[#argv + 1] = a end
        for _, a in ipairs(sets) do argv[#argv + 1] = a end
        run_ok(argv)
        local body = { { attr = "source", value = "./" .. name } }
        for input, v in pairs(inputs) do
          body[#body + 1] = { attr = input, value = v.type == "number" and core.hcl_expr(v.value) or v.value }
        end
        table.sort(body, function(a, b) return a.attr < b.attr end)
        root[#root + 1] = { block = "module", labels = { name }, body = body }
        expected[name] = docs
      end
    end
    tf.write(dir .. "/main.tf", core.hcl_body(root))
    local rc = tf.mirror_rc(dir, mirror)
    local ok, out = tf.terraform(dir, "init -no-color -input=false", rc)
    assert(ok, out)
    ok, out = tf.terraform(dir, "validate -no-color", rc)
    assert(ok, out)
    ok, out = tf.terraform(dir, "plan -no-color -input=false -refresh=false -out=tfplan", rc)
    assert(ok, out)
    ok, out = tf.terraform(dir, "show -json tfplan", rc)
    assert(ok, out)
    local plan = cjson.decode(out:match("{.*}"))

    local planned = {}            -- module name -> sorted canonical documents
    for _, change in ipairs(plan.resource_changes) do
      local module = change.address:match("^module%.([%w_]+)%.")
      local after = change.change.after or {}
      local text = (change.type == "aws_iam_role" and after.assume_role_policy)
        or ((change.type == "aws_iam_role_policy" or change.type == "aws_iam_policy") and after.policy)
      if module and change.mode == "managed" and text then
        assert(type(text) == "string", change.address .. ": policy unknown at plan")
        planned[module] = planned[module] or {}
        table.insert(planned[module], canonical(text))
      end
    end
    for name, docs in pairs(expected) do
      local got = planned[name] or {}
      table.sort(got)
      assert.same(docs, got, name)
    end
  end)
end)
