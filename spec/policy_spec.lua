local core = require "leastpriv.core"
local normalize = core.policy_normalize

local function fails(doc, message)
  local ok, err = pcall(normalize, doc)
  assert.is_false(ok, "expected an error")
  assert.equal(message, err)
end

describe("policy_normalize", function()
  it("turns a single statement object into a list", function()
    local d = normalize { Version = "2012-10-17",
                          Statement = { Effect = "Allow", Action = "s3:GetObject", Resource = "*" } }
    assert.equal(1, #d.Statement)
    assert.same({ "s3:GetObject" }, d.Statement[1].Action)
    assert.same({ "*" }, d.Statement[1].Resource)
  end)

  it("keeps lists in the author's order", function()
    local d = normalize { Statement = { { Effect = "Allow", Action = { "b:B", "a:A" }, Resource = "*" } } }
    assert.same({ "b:B", "a:A" }, d.Statement[1].Action)
  end)

  it("keeps Version and Id, and leaves a missing Version missing", function()
    assert.equal("2008-10-17", normalize { Version = "2008-10-17", Statement = {
      { Effect = "Deny", Action = "*", Resource = "*" } } }.Version)
    local d = normalize { Id = "x", Statement = { { Effect = "Deny", Action = "*", Resource = "*" } } }
    assert.is_nil(d.Version)
    assert.equal("x", d.Id)
  end)

  it("accepts Principal \"*\" and principal maps with strings or lists", function()
    local d = normalize { Statement = {
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" },
      { Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com", AWS = { "1", "2" } },
        Action = "sts:AssumeRole" } } }
    assert.equal("*", d.Statement[1].Principal)
    assert.same({ Service = { "sagemaker.amazonaws.com" }, AWS = { "1", "2" } }, d.Statement[2].Principal)
  end)

  it("turns condition numbers and booleans into strings", function()
    local d = normalize { Statement = { { Effect = "Allow", Action = "s3:ListBucket", Resource = "*",
      Condition = { NumericLessThanEquals = { ["s3:max-keys"] = 10 },
                    Bool = { ["aws:SecureTransport"] = true },
                    StringEquals = { ["s3:prefix"] = { "a/", 1.5 } } } } } }
    local c = d.Statement[1].Condition
    assert.same({ "10" }, c.NumericLessThanEquals["s3:max-keys"])
    assert.same({ "true" }, c.Bool["aws:SecureTransport"])
    assert.same({ "a/", "1.5" }, c.StringEquals["s3:prefix"])
  end)

  it("marks every list as an array (so an empty one stays a list)", function()
    local d = normalize { Statement = { { Effect = "Allow", Action = {}, Resource = "*" } } }
    assert.equal(core.array_mt, getmetatable(d.Statement))
    assert.equal(core.array_mt, getmetatable(d.Statement[1].Action))
  end)

  it("is idempotent", function()
    local d = normalize { Statement = { Effect = "Allow", NotAction = "iam:*", NotResource = "arn:aws:s3:::b",
      Condition = { Null = { ["aws:TokenIssueTime"] = "false" } } } }
    assert.same(d, normalize(d))
  end)

  it("never changes its input", function()
    local input = { Statement = { Effect = "Allow", Action = "s3:GetObject", Resource = "*" } }
    normalize(input)
    assert.equal("s3:GetObject", input.Statement.Action)
  end)

  it("names the path of a bad Effect", function()
    fails({ Statement = { { Effect = "Allow", Action = "a:b" }, { Effect = "Allow", Action = "a:b" },
                          { Effect = "allow", Action = "a:b" } } },
      'Statement[2].Effect: must be "Allow" or "Deny"')
  end)

  it("names a single statement's path without an index", function()
    fails({ Statement = { Effect = "Permit", Action = "a:b" } }, 'Statement.Effect: must be "Allow" or "Deny"')
  end)

  it("rejects unknown elements with a suggestion", function()
    fails({ Statement = { { Effect = "Allow", Acton = "a:b" } } },
      "Statement[0].Acton: unknown element (did you mean Action?)")
    fails({ Statment = {} }, "Statment: unknown element (did you mean Statement?)")
    fails({ Foo = 1, Statement = {} }, "Foo: unknown element (expected Version, Id or Statement)")
  end)

  it("rejects missing and conflicting elements", function()
    fails({ Statement = { { Action = "a:b" } } }, 'Statement[0]: missing Effect ("Allow" or "Deny")')
    fails({ Statement = { { Effect = "Allow", Resource = "*" } } }, "Statement[0]: missing Action (or NotAction)")
    fails({ Statement = { { Effect = "Allow", Action = "a:b", NotAction = "c:d" } } },
      "Statement[0]: Action and NotAction cannot both appear")
    fails({ Statement = { { Effect = "Allow", Action = "a:b", Resource = "*", NotResource = "*" } } },
      "Statement[0]: Resource and NotResource cannot both appear")
    fails({ Statement = { { Effect = "Allow", Action = "a:b", Principal = "*", NotPrincipal = "*" } } },
      "Statement[0]: Principal and NotPrincipal cannot both appear")
  end)

  it("rejects a missing or empty Statement and a bad Version", function()
    fails({ Version = "2012-10-17" }, "Statement: missing (a policy needs at least one statement)")
    fails({ Statement = {} }, "Statement: must hold at least one statement")
    fails({ Version = "2012-10-18", Statement = {} }, 'Version: must be "2012-10-17" or "2008-10-17"')
    fails({ Version = 2012, Statement = {} }, 'Version: must be "2012-10-17" or "2008-10-17"')
  end)

  it("rejects wrong types with the path of the bad value", function()
    fails({ Statement = { { Effect = "Allow", Action = { "a:b", 3 } } } }, "Statement[0].Action[1]: must be a string")
    fails({ Statement = { { Effect = "Allow", Action = { x = 1 } } } },
      "Statement[0].Action: must be a string or a list of strings")
    fails({ Statement = { { Effect = "Allow", Action = "a:b", Sid = 1 } } }, "Statement[0].Sid: must be a string")
    fails({ Statement = { { Effect = "Allow", Action = "a:b", Principal = { aws = "1" } } } },
      "Statement[0].Principal.aws: unknown principal type (did you mean AWS?)")
    fails({ Statement = { { Effect = "Allow", Action = "a:b", Principal = "arn:aws:iam::1:root" } } },
      'Statement[0].Principal: must be "*" or a map with AWS, Service, Federated or CanonicalUser')
    fails({ Statement = { { Effect = "Allow", Action = "a:b", Condition = { StringEquals = "x" } } } },
      "Statement[0].Condition.StringEquals: must be a map of condition keys to values")
    fails({ Statement = { { Effect = "Allow", Action = "a:b",
                            Condition = { StringEquals = { ["a.b"] = { {} } } } } } },
      'Statement[0].Condition.StringEquals["a.b"][0]: must be a string, number or boolean')
  end)

  it("rejects a non-table and a bare list of statements", function()
    assert.has_error(function() normalize("x") end, "a policy must be a table, not string")
    assert.has_error(function() normalize { { Effect = "Allow" } } end)
  end)
end)
