-- What the fuzz targets (fuzz/) found, kept as regressions: each `it`
-- is one finding, reduced to the input that showed it.
local core = require "leastpriv.core"

local function refused(doc)
  local ok, err = pcall(core.policy_normalize, doc)
  assert.is_false(ok, "expected policy_normalize to refuse the document")
  return err
end

describe("hardening: policy_normalize compares names byte for byte", function()
  it("refuses an Effect with a NUL byte after Allow or Deny", function()
    assert.equal('Statement.Effect: must be "Allow" or "Deny"',
      refused { Statement = { Effect = "Deny\0", Action = "*" } })
    refused { Statement = { { Effect = "Allow\0x", Action = "*" } } }
  end)

  it("refuses a Version with a NUL byte inside", function()
    assert.equal('Version: must be "2012-10-17" or "2008-10-17"',
      refused { Version = "2012-10-17\0", Statement = { Effect = "Allow", Action = "*" } })
  end)

  it("refuses element and principal type names with a NUL byte inside", function()
    refused { ["Statement\0x"] = {}, Statement = { Effect = "Allow", Action = "*" } }
    refused { Statement = { Effect = "Allow", Action = "*", ["Effect\0x"] = "Deny" } }
    refused { Statement = { Effect = "Allow", Action = "*", Principal = { ["AWS\0x"] = "*" } } }
    refused { Statement = { Effect = "Allow", Action = "*", Principal = "*\0" } }
  end)

  it("still reads the names it knows", function()
    local d = core.policy_normalize { Version = "2012-10-17", Statement = {
      Effect = "Deny", Action = "*", Principal = { AWS = "*" } } }
    assert.equal("Deny", d.Statement[1].Effect)
  end)
end)

describe("hardening: json_decode with positions stays linear in the document", function()
  it("refuses positions when long keys above many elements would multiply", function()
    local key = ("k"):rep(10000)
    local text = '{"' .. key .. '": [' .. ("1,"):rep(9999) .. '1]}'
    local v, err = core.json_decode(text, { positions = true })
    assert.is_nil(v)
    assert.matches("positions would take over 32 times the document's size", err, 1, true)
    assert.is_table((core.json_decode(text)))          -- without positions it reads
  end)

  it("shows at most 64 bytes of a key in a message's path", function()
    local key = ("k"):rep(1000)
    local _, err = core.json_decode('{"' .. key .. '": [1,]}')
    assert.equal('1:1008: ["' .. ("k"):rep(64) .. '..."]: trailing comma', err)
  end)

  it("still gives positions for dense arrays under ordinary keys", function()
    local text = '{"Resource": [' .. ("1,"):rep(99999) .. '1]}'
    local v, pos = core.json_decode(text, { positions = true })
    assert.equal(100000, #v.Resource)
    assert.same({ 1, 15 }, pos["Resource[0]"])
  end)
end)

describe("hardening: catalog_arn_build and arn_check agree", function()
  -- Found by the catalog target: arn_build and arn_check validated ARN
  -- parts each their own way.  Both now use lpv_arn_part_check (arn.c).
  local function show(s) return (s:gsub("[%c]", function(c) return ("\\%d"):format(c:byte()) end)) end

  -- Whatever arn_build makes, arn_check accepts; what it refuses, it says
  -- which variable and why.
  local function agree(service, rtype, vars, refused_because)
    local arn, err = core.catalog_arn_build(service, rtype, vars)
    if arn then
      local ok, cerr = core.arn_check(arn)
      assert(ok, ("arn_build made %s, which arn_check refuses: %s"):format(show(arn), tostring(cerr)))
    end
    if refused_because then
      assert(arn == nil, ("arn_build accepted %s"):format(show(tostring(arn))))
      assert.matches(refused_because, err, 1, true)
    end
    return arn
  end

  it("on the partition: aws or aws-..., default aws", function()
    agree("iam", "role", { Account = "123456789012", RoleNameWithPath = "r", Partition = "awcounv" },
      'invalid variable Partition for iam role: partition "awcounv" is not a partition')
    agree("iam", "role", { Account = "123456789012", RoleNameWithPath = "r", Partition = "aws.x" },
      "is not a partition")
    agree("s3", "bucket", { BucketName = "b", Partition = "aws-" }, "is not a partition")
    assert.equal("arn:aws-iso-b:s3:::b", agree("s3", "bucket", { BucketName = "b", Partition = "aws-iso-b" }))
    assert.equal("arn:aws-*:s3:::b", agree("s3", "bucket", { BucketName = "b", Partition = "aws-*" }))
    assert.equal("arn:\248var.p\249:s3:::b", agree("s3", "bucket", { BucketName = "b", Partition = "\248var.p\249" }))
  end)

  it("on an account beside a template placeholder or a wildcard", function()
    agree("iam", "role", { Account = "12x4\248var.x\249", RoleNameWithPath = "r" },
      'invalid variable Account for iam role: account "12x4\248var.x\249" is not a 12-digit account ID')
    agree("iam", "role", { Account = "1?z", RoleNameWithPath = "r" },
      'account "1?z" is not a 12-digit account ID')
    agree("iam", "role", { Account = "a*", RoleNameWithPath = "r" }, "is not a 12-digit account ID")
    -- the characters outside placeholders and wildcards are digits: fine
    assert.equal("arn:aws:iam::12\248var.x\249:role/r",
      agree("iam", "role", { Account = "12\248var.x\249", RoleNameWithPath = "r" }))
    assert.equal("arn:aws:iam::1234?:role/r", agree("iam", "role", { Account = "1234?", RoleNameWithPath = "r" }))
  end)

  it("on a region beside a template placeholder or a wildcard", function()
    local vars = { Account = "123456789012", LogGroupName = "g" }
    for _, region in ipairs { "us-*.x", "US-\248var.r\249", "us_*" } do
      vars.Region = region
      agree("logs", "log-group", vars, "invalid variable Region for logs log-group: region")
    end
    vars.Region = "us-*-\248var.n\249"
    assert.truthy(agree("logs", "log-group", vars))
  end)

  it("on ':' and control bytes inside a placeholder's expression", function()
    agree("iam", "role", { Account = "\248a:b\249", RoleNameWithPath = "r" },
      "invalid variable Account for iam role: \"\248a:b\249\" holds ':', which would shift the ARN's parts")
    agree("logs", "log-group", { Region = "\248var.a:b\249", Account = "123456789012", LogGroupName = "g" },
      "invalid variable Region")
    agree("iam", "role", { Account = "\248a\nb\249", RoleNameWithPath = "r" },
      "holds a template placeholder with ':' or a control character in it")
    agree("iam", "role", { Account = "123456789012", RoleNameWithPath = "\248a:b\249" },
      "invalid variable RoleNameWithPath for iam role: resource \"role/\248a:b\249\" holds a template placeholder")
    agree("s3", "object", { BucketName = "b", ObjectName = "x\248a\0b\249" }, "invalid variable ObjectName")
    agree("s3", "object", { BucketName = "b", ObjectName = "x\248\249" }, "holds an empty template placeholder")
    agree("s3", "object", { BucketName = "\248a\248b\249\249", ObjectName = "k" }, "unbalanced template placeholder")
    -- and arn_check refuses such ARNs too, wherever the placeholder is
    assert.is_false((core.arn_check("arn:aws:s3:::b/\248a:b\249")))
    assert.is_false((core.arn_check("arn:aws:iam::\248a:b\249:role/r")))
    assert.is_false((core.arn_check("arn:aws:s3:::b/\248a\tb\249")))
    assert.is_false((core.arn_check("arn:\248\249:s3:::b")))
    assert.is_true((core.arn_check("arn:aws:s3:::\248var.b\249/*")))
  end)
end)


describe("hardening: validation messages show whole characters", function()
  -- Found by the validate target: a message naming one bad character of
  -- an action or a Sid showed its first byte only, which made the message
  -- invalid UTF-8.
  local function finding(doc, code)
    local list = core.validate_policy(core.json_decode(doc), { type = "identity" })
    for _, f in ipairs(list) do
      if f.code == code then return f end
    end
    error("no " .. code .. " finding")
  end

  it("in an action name", function()
    local f = finding('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
      .. '"Action": "sts:Assume\239\187\191Role", "Resource": "*"}]}', "INVALID_ACTION")
    assert.equal("\"sts:Assume\239\187\191Role\" holds '\239\187\191', which no action name has", f.message)
    assert.is_true(core.utf8_valid(f.message))
  end)

  it("in a Sid", function()
    local f = finding('{"Version": "2012-10-17", "Statement": [{"Sid": "Lecture\195\169", "Effect": "Allow", '
      .. '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}', "UNSUPPORTED_SID")
    assert.matches("holds '\195\169'", f.message, 1, true)
    assert.is_true(core.utf8_valid(f.message))
  end)
end)
