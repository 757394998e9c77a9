-- VPC endpoint policies as a policy type: lp.simulate / P:decide (group
-- "endpoint"), lp.with_groups, `simulate --endpoint`, `can --endpoint`,
-- lp.validate { type = "endpoint" } and the busted assertions.
--
-- "An endpoint policy does not override or replace identity-based policies
-- or resource-based policies." "It must contain a Principal element."
-- (Amazon VPC, Control access to VPC endpoints using endpoint policies)
local lp = require "leastpriv"
local lpb = require "leastpriv.busted"
local cli = require "support.cli"

local EXEC = "examples/sagemaker/execution_role.lua"
local ONLY_BUCKET = "spec/fixtures/endpoint/s3_only.json"
local BUCKET = "arn:aws:s3:::my-ml-training-data"
local IN = BUCKET .. "/experiments/input/x"

local function endpoint_doc(statements)
  return { Version = "2012-10-17", Statement = statements }
end
local ONLY = lp.load_json(assert(io.open(ONLY_BUCKET)):read("*a"))

describe("endpoint policies in lp.simulate", function()
  local role = lpb.load(EXEC)
  it("must also allow a request made through the endpoint", function()
    assert.equal("allow", lp.simulate({ action = "s3:GetObject", resource = IN }, role))
    local through = lp.with_groups(role, { endpoint = ONLY })
    assert.equal("allow", lp.simulate({ action = "s3:GetObject", resource = IN }, through))
    local other = lp.with_groups(role, { endpoint = endpoint_doc { { Effect = "Allow", Principal = "*",
      Action = "s3:GetObject", Resource = "arn:aws:s3:::other/*" } } })
    local d, e = lp.simulate({ action = "s3:GetObject", resource = IN }, other, { explain = true })
    assert.equal("implicit_deny", d)
    assert.equal("endpoint", e.decided_by)
    assert.matches("VPC endpoint policy does not allow", e.text)
  end)
  it("grants nothing by itself", function()
    assert.equal("implicit_deny", lp.simulate({ action = "s3:GetObject", resource = IN }, { endpoint = ONLY }))
  end)
  it("an endpoint Deny is an explicit deny", function()
    local p = { identity = { Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "*", Resource = "*" } } },
      endpoint = endpoint_doc { { Effect = "Allow", Principal = "*", Action = "*", Resource = "*" },
                                { Effect = "Deny", Principal = "*", Action = "s3:PutObject", Resource = "*" } } }
    local _, e = lp.simulate({ action = "s3:PutObject", resource = IN }, p, { explain = true })
    assert.equal("explicit_deny", e.decision)
    assert.equal("endpoint", e.decided_by)
  end)
  it("lp.with_groups refuses a group the policies already have and compiled policies", function()
    assert.has_error(function() lp.with_groups({ endpoint = ONLY }, { endpoint = ONLY }) end,
      "lp.with_groups: the policies already have a endpoint group")
    assert.has_error(function() lp.with_groups(lp.compile(ONLY), { endpoint = ONLY }) end)
  end)
  it("caps lp.grants: actions the endpoint never allows are no grants", function()
    local all = lp.grants(role)
    local capped = lp.grants(lp.with_groups(role, { endpoint = ONLY }))
    assert.truthy(#capped < #all)
    for _, g in ipairs(capped) do assert.matches("^s3:", g.action) end
  end)
end)

describe("leastpriv simulate / can --endpoint", function()
  it("simulate decides through the endpoint", function()
    local code, out = cli.run { "simulate", EXEC, "-a", "s3:GetObject", "-r", IN, "--endpoint", ONLY_BUCKET }
    assert.equal(0, code)
    assert.equal("allow\n", out)
    code, out = cli.run { "simulate", EXEC, "-a", "ecr:GetAuthorizationToken", "-r", "*",
      "--endpoint", ONLY_BUCKET, "--explain" }
    assert.equal(1, code)
    assert.matches("VPC endpoint policy does not allow", out, 1, true)
  end)
  it("can lists only what the endpoint lets through", function()
    local code, out = cli.run { "can", EXEC, "-r", "*", "--endpoint", ONLY_BUCKET }
    assert.equal(0, code)
    assert.equal("sts:GetCallerIdentity\n", out)
  end)
  it("a missing or bad endpoint file is a one-line error", function()
    local code, _, err = cli.run { "simulate", EXEC, "-a", "s3:GetObject", "-r", IN, "--endpoint", "nope.json" }
    assert.equal(2, code)
    assert.matches("nope.json: cannot read the file", err, 1, true)
  end)
end)

describe("lp.validate { type = \"endpoint\" }", function()
  local function codes(doc)
    local out = {}
    for _, f in ipairs(lp.validate(doc, { type = "endpoint" })) do out[#out + 1] = f.code end
    table.sort(out)
    return table.concat(out, ",")
  end
  local function st(s) return lp.load_json(require("leastpriv.core").json_encode(endpoint_doc { s })) end
  it("accepts a plain endpoint policy", function()
    assert.equal("", codes(ONLY))
  end)
  it("needs a Principal in every statement", function()
    assert.matches("MISSING_PRINCIPAL", codes(st { Effect = "Allow", Action = "s3:GetObject", Resource = "*" }))
  end)
  it("refuses wildcards and numeric operators on identifier keys", function()
    -- "You can't use wildcard characters (* or ?) or numeric condition
    -- operators with global context keys that reference system-generated
    -- identifiers (for example, aws:PrincipalAccount or aws:SourceVpc)."
    assert.matches("ENDPOINT_POLICY_WILDCARD_ON_ID_KEY", codes(st { Effect = "Allow", Principal = "*",
      Action = "s3:GetObject", Resource = "*", Condition = { StringLike = { ["aws:SourceVpc"] = "vpc-*" } } }))
    assert.matches("ENDPOINT_POLICY_WILDCARD_ON_ID_KEY", codes(st { Effect = "Allow", Principal = "*",
      Action = "s3:GetObject", Resource = "*", Condition = { NumericEquals = { ["aws:PrincipalAccount"] = "1" } } }))
  end)
  it("needs six characters next to a string wildcard", function()
    -- "When you use string condition operators, you must use at least six
    -- consecutive characters before or after each wildcard."
    -- (a String key: StringLike on an ARN key is STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS)
    local function like(v) return st { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*",
      Condition = { StringLike = { ["aws:userid"] = v } } } end
    assert.matches("ENDPOINT_POLICY_SHORT_WILDCARD", codes(like("AR*")))
    assert.equal("", codes(like("AROAEXAMPLEID:*")))
  end)
  it("refuses an ARN account mixing digits and a wildcard", function()
    -- "When you specify an ARN in a resource or condition element, the
    -- account portion of the ARN can include an account ID or a wildcard,
    -- but not both."
    assert.matches("ENDPOINT_POLICY_ACCOUNT_WILDCARD", codes(st { Effect = "Allow", Principal = "*",
      Action = "sqs:SendMessage", Resource = "arn:aws:sqs:us-east-1:1111*:q" }))
    assert.equal("", codes(st { Effect = "Allow", Principal = "*", Action = "sqs:SendMessage",
      Resource = "arn:aws:sqs:us-east-1:*:q" }))
  end)
end)

describe("leastpriv check --type endpoint", function()
  it("reports the endpoint grammar with file positions", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",',
            '"Resource":"*","Condition":{"StringLike":{"aws:SourceVpc":"vpc-*"}}}]}')
    f:close()
    local code, out = cli.run { "check", "--type", "endpoint", path }
    os.remove(path)
    assert.equal(1, code)
    assert.matches("error MISSING_PRINCIPAL an endpoint policy statement must name a Principal", out, 1, true)
    assert.matches(":1:%d+: error ENDPOINT_POLICY_WILDCARD_ON_ID_KEY", out)
    code = cli.run { "check", "--type", "endpoint", ONLY_BUCKET }
    assert.equal(0, code)
  end)
end)

describe("busted assertions through an endpoint", function()
  local role = lpb.load(EXEC)
  it("assert.allows / assert.denies take { endpoint = policy }", function()
    assert.allows(role, "s3:GetObject", IN, { endpoint = ONLY })
    assert.denies(role, "ecr:GetAuthorizationToken", "*", { endpoint = ONLY })
    local ok, err = pcall(function() assert.allows(role, "ecr:GetAuthorizationToken", "*", { endpoint = ONLY }) end)
    assert.is_false(ok)
    assert.matches("VPC endpoint policy does not allow", tostring(err), 1, true)
  end)
end)
