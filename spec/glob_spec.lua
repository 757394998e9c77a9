local core = require "leastpriv.core"
local match = core.glob_match

describe("glob_match", function()
  it("matches literal text exactly", function()
    assert.is_true(match("s3:GetObject", "s3:GetObject"))
    assert.is_false(match("s3:GetObject", "s3:GetObjects"))
    assert.is_false(match("s3:GetObjects", "s3:GetObject"))
  end)

  it("lets * match any run, including an empty one", function()
    assert.is_true(match("s3:Get*", "s3:Get"))
    assert.is_true(match("s3:Get*", "s3:GetObjectAcl"))
    assert.is_true(match("s3:Get*Acl", "s3:GetObjectAcl"))
    assert.is_false(match("s3:Get*Acl", "s3:GetObjectTagging"))
    assert.is_true(match("*", ""))
  end)

  it("lets ? match exactly one character", function()
    assert.is_true(match("s3:?etObject", "s3:GetObject"))
    assert.is_false(match("s3:?GetObject", "s3:GetObject"))
    assert.is_false(match("a?", "a"))
  end)

  it("treats ? as one UTF-8 character, not one byte", function()
    assert.is_true(match("caf?", "café"))
    assert.is_false(match("caf??", "café"))
  end)

  it("is case-sensitive unless asked otherwise", function()
    assert.is_false(match("s3:getobject", "s3:GetObject"))
    assert.is_true(match("S3:getobject", "s3:GetObject", true))
    assert.is_true(match("IAM:list*", "iam:ListAccessKeys", true))
  end)

  it("lets * cross '/' and ':'", function()
    assert.is_true(match("bucket/*/test/*", "bucket/1/2/test/3/x.jpg"))
    assert.is_true(match("bucket/*/test/*", "bucket//test/x"))
    assert.is_false(match("bucket/*/test/*", "bucket/test/x.jpg"))
    assert.is_true(match("log-group:/aws/*", "log-group:/aws/x:log-stream:y"))
  end)

  it("returns quickly on a hostile pattern", function()
    local s = string.rep("a", 100000)
    local t = os.clock()
    assert.is_false(match("*a*a*a*a*a*a*b", s))
    assert.is_true(match("*a*a*a*a*a*a*", s))
    -- a backtracking matcher takes minutes here; this one takes about a millisecond
    assert.is_true(os.clock() - t < 1)
  end)

  it("rejects non-string arguments", function()
    assert.has_error(function() match({}, "x") end)
    assert.has_error(function() match("x", nil) end)
  end)
end)

describe("glob_intersect", function()
  local meet = core.glob_intersect

  it("finds a string both patterns match", function()
    assert.is_true(meet("a*", "*b"))               -- "ab"
    assert.is_true(meet("abc", "a?c"))
    assert.is_true(meet("log-group:/aws/sagemaker/*", "log-group:*:log-stream:*"))
    assert.is_true(meet("*", ""))
  end)

  it("knows when there is none", function()
    assert.is_false(meet("a*c", "b*"))
    assert.is_false(meet("x", "*/*"))
    assert.is_false(meet("abc", "ab"))
  end)

  it("folds case on request", function()
    assert.is_false(meet("ABC*", "abc"))
    assert.is_true(meet("ABC*", "abc", true))
  end)

  it("is symmetric", function()
    for _, pair in ipairs { { "a*b", "*c*" }, { "a?*", "?b" }, { "x/*", "*/y" }, { "ab*", "a" } } do
      assert.equal(meet(pair[1], pair[2]), meet(pair[2], pair[1]), pair[1] .. " ~ " .. pair[2])
    end
  end)
end)
