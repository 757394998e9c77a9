-- The HCL writer (csrc/hcl.c) and leastpriv.hcl: escaping, placeholders,
-- layout and alignment, both policy styles, bodies, resources, errors.
-- terraform fmt/console checks of the same output: spec/terraform_spec.lua.
local core = require "leastpriv.core"
local hcl = require "leastpriv.hcl"
local C = require "fixtures.hcl.corpus"

local function lines(...)
  return table.concat({ ... }, "\n")
end

local function doc(statement)
  return { Version = "2012-10-17", Statement = { statement } }
end

local function err_of(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

describe("core.hcl_string", function()
  it("quotes a plain string", function()
    assert.equal('"s3:GetObject"', core.hcl_string("s3:GetObject"))
  end)

  it("escapes quotes and backslashes", function()
    assert.equal([["a\"b\\c"]], core.hcl_string('a"b\\c'))
  end)

  it("escapes newline, return and tab", function()
    assert.equal([["a\nb\rc\td"]], core.hcl_string("a\nb\rc\td"))
  end)

  it("escapes other control characters and DEL as \\uXXXX", function()
    assert.equal([["\u0000\u0003\u001F\u007F"]], core.hcl_string("\0\3\31\127"))
  end)

  it("writes ${ as $${ so IAM variables reach AWS unchanged", function()
    assert.equal('"home/$${aws:username}/*"', core.hcl_string("home/${aws:username}/*"))
  end)

  it("writes %{ as %%{", function()
    assert.equal('"a%%{if x}b"', core.hcl_string("a%{if x}b"))
  end)

  it("leaves a lone $ or % alone", function()
    assert.equal('"$ % $$ %% {}"', core.hcl_string("$ % $$ %% {}"))
  end)

  it("escapes a ${ that follows dollars", function()
    assert.equal('"$$$${x}"', core.hcl_string("$$${x}"))
  end)

  it("passes valid UTF-8 through", function()
    assert.equal('"caf\195\169 \240\159\152\128"', core.hcl_string("caf\195\169 \240\159\152\128"))
  end)

  it("raises on invalid UTF-8", function()
    assert.equal("invalid UTF-8", err_of(core.hcl_string, "bad \255 byte"))
    assert.equal("invalid UTF-8", err_of(core.hcl_string, "overlong \192\175"))
  end)

  it("writes a placeholder inside a string as ${EXPR}", function()
    assert.equal('"arn:aws:s3:::${var.bucket_name}/*"',
                 core.hcl_string("arn:aws:s3:::\248var.bucket_name\249/*"))
  end)

  it("writes a string that is only a placeholder as the bare expression", function()
    assert.equal("var.role_name", core.hcl_string("\248var.role_name\249"))
  end)

  it("keeps two placeholders in one template", function()
    assert.equal('"${var.a}${var.b}"', core.hcl_string("\248var.a\249\248var.b\249"))
  end)

  it("writes a $ just before a placeholder so it is not read as $${", function()
    assert.equal('"${"$"}${var.x}"', core.hcl_string("$\248var.x\249"))
    -- issue 15 item 1: a run of '$' goes whole into the literal, else its
    -- last '$' and the "${" after it read as the escape "$${"
    assert.equal('"b/${"$$"}${var.x}/*"', core.hcl_string("b/$$\248var.x\249/*"))
    assert.equal('"${"$$$"}${var.x}$"', core.hcl_string("$$$\248var.x\249$"))
    assert.equal('"%${var.x}%%{"', core.hcl_string("%\248var.x\249%{"))
  end)

  it("raises on a placeholder without its end byte", function()
    assert.matches("template placeholder not closed", err_of(core.hcl_string, "a\248var.x"), 1, true)
  end)

  it("raises on a stray placeholder end byte (not UTF-8)", function()
    assert.equal("invalid UTF-8", err_of(core.hcl_string, "a\249b"))
  end)

  it("raises on a nested placeholder", function()
    assert.matches("nested template placeholder", err_of(core.hcl_string, "\248a\248b\249\249"), 1, true)
  end)

  -- issue 12: what reaches HCL as an expression is only ever var.NAME
  it("writes nothing but a variable reference as an expression", function()
    for _, bad in ipairs { "a\248\249b", "\248var.\195\169\249", "\248a\nb\249",
                           "\248file(\"/etc/hostname\")\249", "\248\"*\"\249", "\248var.x.y\249",
                           "\248var.a-b\249", "\248local.x\249", "\248var.\249" } do
      assert.equal("template placeholder must be a variable reference var.NAME",
                   err_of(core.hcl_string, bad))
    end
  end)

  -- issue 12: control bytes in data are characters, escaped, never a placeholder
  it("escapes the control bytes U+0001 and U+0002 of data", function()
    assert.equal([["\u0001\"*\"\u0002"]], core.hcl_string('\1"*"\2'))
    assert.equal([["iam:PassRole\u0001"]], core.hcl_string("iam:PassRole\1"))
    assert.equal([["arn:aws:s3:::\u0001file(\"/etc/hostname\")\u0002"]],
                 core.hcl_string('arn:aws:s3:::\1file("/etc/hostname")\2'))
  end)

  it("raises on a non-string argument", function()
    assert.has_error(function() core.hcl_string({}) end)
  end)
end)

describe("core.hcl_policy, jsonencode style", function()
  local trust = doc { Effect = "Allow", Principal = { Service = { "sagemaker.amazonaws.com" } },
                      Action = { "sts:AssumeRole" } }

  it("writes the seed's trust policy as the seed does", function()
    assert.equal(lines(
      'jsonencode({',
      '  Version = "2012-10-17"',
      '  Statement = [{',
      '    Effect    = "Allow"',
      '    Principal = { Service = "sagemaker.amazonaws.com" }',
      '    Action    = "sts:AssumeRole"',
      '  }]',
      '})'), core.hcl_policy(trust))
  end)

  it("is the default style", function()
    assert.equal(core.hcl_policy(trust), core.hcl_policy(trust, { style = "jsonencode" }))
  end)

  it("lays the expression out for opts.indent", function()
    assert.equal(lines(
      'jsonencode({',
      '      Version = "2012-10-17"',
      '      Statement = [{',
      '        Effect    = "Allow"',
      '        Principal = { Service = "sagemaker.amazonaws.com" }',
      '        Action    = "sts:AssumeRole"',
      '      }]',
      '    })'), core.hcl_policy(trust, { indent = 4 }))
  end)

  it("writes a one-element list as a bare string", function()
    local out = core.hcl_policy(doc { Effect = "Allow", Action = { "s3:GetObject" },
                                      Resource = { "*" } })
    assert.matches('Action   = "s3:GetObject"', out, 1, true)
    assert.matches('Resource = "*"', out, 1, true)
  end)

  it("keeps the author's order of list items", function()
    local out = core.hcl_policy(doc { Effect = "Allow", Action = { "s3:PutObject", "s3:GetObject" } })
    assert.matches('Action = ["s3:PutObject", "s3:GetObject"]', out, 1, true)
  end)

  it("puts a list that does not fit in 80 columns one item per line", function()
    local out = core.hcl_policy(C.long)
    assert.matches(lines(
      '    Action = [',
      '      "s3:GetObject",',
      '      "s3:GetObjectVersion",',
      '      "s3:GetObjectTagging",',
      '      "s3:GetObjectAcl",',
      '      "s3:ListBucket",',
      '      "s3:ListBucketVersions"',
      '    ]'), out, 1, true)
  end)

  it("keeps a long single string on its line", function()
    assert.matches('    Resource = "arn:aws:s3:::a-very-long-bucket-name-for-training-data-0123456789/prefix/*"',
                   core.hcl_policy(C.long), 1, true)
  end)

  it("spreads statements when there are several", function()
    assert.equal(lines(
      'jsonencode({',
      '  Version = "2012-10-17"',
      '  Statement = [',
      '    {',
      '      Sid         = "DenyAllButIam"',
      '      Effect      = "Deny"',
      '      NotAction   = ["iam:*", "sts:*"]',
      '      NotResource = "arn:aws:iam::123456789012:role/admin"',
      '    },',
      '    {',
      '      Sid          = "NotPrincipal"',
      '      Effect       = "Deny"',
      '      NotPrincipal = { AWS = "arn:aws:iam::123456789012:root" }',
      '      Action       = "s3:DeleteBucket"',
      '      Resource     = "*"',
      '    },',
      '    {',
      '      Sid          = "NotAnyone"',
      '      Effect       = "Deny"',
      '      NotPrincipal = "*"',
      '      NotAction    = "s3:GetObject"',
      '      Resource     = "*"',
      '    }',
      '  ]',
      '})'), core.hcl_policy(C.not_elements))
  end)

  it("aligns = over one-line members; a spread member breaks the run", function()
    local out = core.hcl_policy(C.principals)
    assert.matches('  Version = "2012-10-17"\n  Id      = "cross-account"\n  Statement = [{', out, 1, true)
    assert.matches('    Sid    = "Everyone"\n    Effect = "Allow"\n    Principal = {', out, 1, true)
  end)

  it("writes a principal map with several types spread, types in bytewise order", function()
    assert.matches(lines(
      '    Principal = {',
      '      AWS = [',
      '        "arn:aws:iam::111122223333:root",',
      '        "arn:aws:iam::444455556666:role/ci"',
      '      ]',
      '      CanonicalUser = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"',
      '      Federated     = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"',
      '      Service       = ["ec2.amazonaws.com", "lambda.amazonaws.com"]',
      '    }'), core.hcl_policy(C.principals), 1, true)
  end)

  it("writes Principal \"*\" as a string", function()
    assert.matches('Principal = "*"', core.hcl_policy(C.star), 1, true)
  end)

  it("writes conditions with operators and keys in bytewise order, keys quoted", function()
    assert.matches(lines(
      '    Condition = {',
      '      ArnLike = {',
      '        "aws:SourceArn" = "arn:aws:sagemaker:us-east-1:123456789012:training-job/*"',
      '      }',
      '      StringEquals = { "aws:SourceAccount" = "123456789012" }',
      '    }'), core.hcl_policy(C.trust_conditions), 1, true)
  end)

  it("quotes operator names with a colon and keys that are HCL keywords", function()
    local out = core.hcl_policy(C.escapes)
    assert.matches('"ForAnyValue:StringEquals" = { "null" = "true" }', out, 1, true)
  end)

  it("escapes ${aws:username} in a Resource and in a condition value", function()
    local out = core.hcl_policy(C.escapes)
    assert.matches('"arn:aws:s3:::home/$${aws:username}/*",', out, 1, true)
    assert.matches('"s3:prefix"                  = ["home/$${aws:username}/*", "shared/%%{x}"]',
                   out, 1, true)
    assert.matches('"aws:PrincipalTag/team$${x}" = "$${aws:PrincipalTag/team}"', out, 1, true)
  end)

  it("escapes %{, $${, quotes, backslashes, newlines and controls in values", function()
    local out = core.hcl_policy(C.escapes)
    assert.matches('"arn:aws:s3:::x/%%{if}/$$${literal}/%%%{also}",', out, 1, true)
    assert.matches([["quote \" backslash \\ tab \t newline \n return \r",]], out, 1, true)
    assert.matches([["control \u0000 \u001F \u007F",]], out, 1, true)
  end)

  it("escapes non-ASCII characters in keys so that alignment counts bytes", function()
    assert.matches([["caf\u00E9"                  = "1"]], core.hcl_policy(C.escapes), 1, true)
  end)

  it("writes placeholders in values and keys", function()
    local out = core.hcl_policy(C.placeholders)
    assert.matches('"arn:aws:s3:::${var.bucket}/*",\n      tostring(var.extra_arn),', out, 1, true)
    assert.matches('(var.key)                    = "x"', out, 1, true)
    assert.matches('"aws:ResourceTag/${var.tag}" = tostring(var.value)', out, 1, true)
  end)

  -- issue 15 item 2: a number or bool variable in a policy gives a string,
  -- as in the JSON (var.n, or "${var.n}", which HCL reads as var.n itself,
  -- would be a JSON number, rounded past 2^53)
  it("writes a value that is one placeholder as tostring(var.x)", function()
    local out = core.hcl_policy(doc { Effect = "Allow", Action = { "a:b" }, Resource = { "*" },
      Condition = { NumericLessThan = { ["aws:MultiFactorAuthAge"] = { "\248var.max_age\249" } },
                    Bool = { ["aws:SecureTransport"] = { "\248var.tls\249" } } } })
    assert.matches('"aws:MultiFactorAuthAge" = tostring(var.max_age)', out, 1, true)
    assert.matches('"aws:SecureTransport" = tostring(var.tls)', out, 1, true)
    assert.is_nil(out:find("= var%."))
  end)

  it("writes Id and leaves out an absent Version", function()
    local out = core.hcl_policy { Id = "x", Statement = { { Effect = "Allow", Action = { "a:b" } } } }
    assert.equal(lines('jsonencode({', '  Id = "x"', '  Statement = [{',
                       '    Effect = "Allow"', '    Action = "a:b"', '  }]', '})'), out)
  end)

  it("writes an empty statement list as []", function()
    assert.equal(lines('jsonencode({', '  Version   = "2012-10-17"', '  Statement = []', '})'),
                 core.hcl_policy { Version = "2012-10-17", Statement = {} })
  end)

  it("gives the same text for the same document", function()
    assert.equal(core.hcl_policy(C.escapes), core.hcl_policy(C.escapes))
  end)
end)

describe("core.hcl_policy errors", function()
  it("name the path of invalid UTF-8 in an action", function()
    assert.equal("Statement[0].Action[1]: invalid UTF-8", err_of(core.hcl_policy,
      doc { Effect = "Allow", Action = { "s3:GetObject", "s3:\255" } }))
  end)

  it("name the path of invalid UTF-8 in a condition value", function()
    assert.equal("Statement[0].Condition.StringEquals.aws:SourceAccount[1]: invalid UTF-8",
      err_of(core.hcl_policy, doc { Effect = "Allow", Action = { "a:b" },
        Condition = { StringEquals = { ["aws:SourceAccount"] = { "1", "\200" } } } }))
  end)

  it("name the path of invalid UTF-8 in a condition key", function()
    assert.equal("Statement[0].Condition.StringEquals.bad\200: invalid UTF-8",
      err_of(core.hcl_policy, doc { Effect = "Allow", Action = { "a:b" },
        Condition = { StringEquals = { ["bad\200"] = { "1" } } } }))
  end)

  it("reject an unknown element", function()
    assert.equal("Statement[0].Acton: unknown element in a canonical policy",
      err_of(core.hcl_policy, doc { Effect = "Allow", Acton = { "a:b" } }))
    assert.equal("Extra: unknown element in a canonical policy",
      err_of(core.hcl_policy, { Statement = {}, Extra = 1 }))
  end)

  it("reject a document without Statement", function()
    assert.matches("^Statement: missing", err_of(core.hcl_policy, { Version = "2012-10-17" }))
  end)

  it("reject a statement without Effect", function()
    assert.equal("Statement[0].Effect: missing", err_of(core.hcl_policy, doc { Action = { "a:b" } }))
  end)

  it("reject a bare string where the canonical form has a list", function()
    assert.equal("Statement[0].Action: expected a list of strings, got string",
      err_of(core.hcl_policy, doc { Effect = "Allow", Action = "s3:GetObject" }))
  end)

  it("reject a map where a list belongs", function()
    assert.equal("Statement[0].Resource: expected a list of strings, got a map",
      err_of(core.hcl_policy, doc { Effect = "Allow", Action = { "a:b" }, Resource = { x = "y" } }))
  end)

  it("reject a number in a list of strings", function()
    assert.equal("Statement[0].Action[0]: expected a string, got number",
      err_of(core.hcl_policy, doc { Effect = "Allow", Action = { 1 } }))
  end)

  it("reject a principal string other than \"*\"", function()
    assert.matches('^Statement%[0%]%.Principal: expected "%*" or a map of principal lists',
      err_of(core.hcl_policy, doc { Effect = "Allow", Principal = "arn:aws:iam::1:root",
                                    Action = { "a:b" } }))
  end)

  it("reject a condition that is not a map of maps", function()
    assert.matches("^Statement%[0%]%.Condition%.Bool: expected a map of condition keys",
      err_of(core.hcl_policy, doc { Effect = "Allow", Action = { "a:b" },
                                    Condition = { Bool = { "true" } } }))
  end)

  it("reject a Statement that is not a list", function()
    assert.equal("Statement: expected a list of statements, got table",
      err_of(core.hcl_policy, { Statement = { Effect = "Allow" } }))
  end)

  it("reject a document that is not a table", function()
    assert.equal("expected a policy document, got string", err_of(core.hcl_policy, "x"))
  end)

  it("reject an unknown style, an odd indent and a document without a name", function()
    local d = doc { Effect = "Allow", Action = { "a:b" } }
    assert.matches("style must be", err_of(core.hcl_policy, d, { style = "yaml" }), 1, true)
    assert.matches("style must be", err_of(core.hcl_policy, d, { style = 1 }), 1, true)
    assert.matches("indent must be", err_of(core.hcl_policy, d, { indent = 3 }), 1, true)
    assert.matches("indent must be", err_of(core.hcl_policy, d, { indent = -2 }), 1, true)
    assert.matches("needs opts.name", err_of(core.hcl_policy, d, { style = "document" }), 1, true)
    assert.matches("needs opts.name",
                   err_of(core.hcl_policy, d, { style = "document", name = "a b" }), 1, true)
  end)
end)

describe("core.hcl_policy, document style", function()
  it("writes a data block with statement blocks and lists never collapsed", function()
    assert.equal(lines(
      'data "aws_iam_policy_document" "trust" {',
      '  version = "2012-10-17"',
      '',
      '  statement {',
      '    effect  = "Allow"',
      '    actions = ["sts:AssumeRole"]',
      '',
      '    principals {',
      '      type        = "Service"',
      '      identifiers = ["sagemaker.amazonaws.com"]',
      '    }',
      '',
      '    condition {',
      '      test     = "ArnLike"',
      '      variable = "aws:SourceArn"',
      '      values   = ["arn:aws:sagemaker:us-east-1:123456789012:training-job/*"]',
      '    }',
      '',
      '    condition {',
      '      test     = "StringEquals"',
      '      variable = "aws:SourceAccount"',
      '      values   = ["123456789012"]',
      '    }',
      '  }',
      '}', ''), core.hcl_policy(C.trust_conditions, { style = "document", name = "trust" }))
  end)

  it("writes Id as policy_id and Sid as sid", function()
    local out = core.hcl_policy(C.principals, { style = "document", name = "p" })
    assert.matches('  version   = "2012-10-17"\n  policy_id = "cross-account"\n', out, 1, true)
    assert.matches('    sid    = "Everyone"\n', out, 1, true)
  end)

  it("writes one principals block per principal type, in bytewise order", function()
    local out = core.hcl_policy(C.principals, { style = "document", name = "p" })
    local types = {}
    for t in out:gmatch('type%s+= "(%w+)"') do types[#types + 1] = t end
    assert.same({ "AWS", "CanonicalUser", "Federated", "Service" }, types)
    assert.matches('type        = "Service"\n      identifiers = ["ec2.amazonaws.com", "lambda.amazonaws.com"]',
                   out, 1, true)
  end)

  it("writes Principal \"*\" as type \"*\" with identifiers [\"*\"]", function()
    assert.matches(lines('    principals {', '      type        = "*"',
                         '      identifiers = ["*"]', '    }'),
                   core.hcl_policy(C.star, { style = "document", name = "s" }), 1, true)
  end)

  it("writes NotPrincipal, NotAction and NotResource", function()
    local out = core.hcl_policy(C.not_elements, { style = "document", name = "n" })
    assert.matches('    not_actions   = ["iam:*", "sts:*"]\n    not_resources = ["arn:aws:iam::123456789012:role/admin"]',
                   out, 1, true)
    assert.matches(lines('    not_principals {', '      type        = "AWS"',
                         '      identifiers = ["arn:aws:iam::123456789012:root"]', '    }'),
                   out, 1, true)
    assert.matches(lines('    not_principals {', '      type        = "*"'), out, 1, true)
  end)

  it("writes one condition block per operator and key, sorted", function()
    local out = core.hcl_policy(C.long, { style = "document", name = "l" })
    local seen = {}
    for t, v in out:gmatch('test%s+= "([^"]+)"\n%s+variable = "([^"]+)"') do
      seen[#seen + 1] = t .. " " .. v
    end
    assert.same({ "ForAllValues:StringLike aws:TagKeys", "StringEquals aws:RequestedRegion",
                  "StringEquals s3:x-amz-server-side-encryption" }, seen)
  end)

  it("escapes ${aws:username} in a resource and in a condition value", function()
    local out = core.hcl_policy(C.escapes, { style = "document", name = "e" })
    assert.matches('"arn:aws:s3:::home/$${aws:username}/*",', out, 1, true)
    assert.matches('values   = ["home/$${aws:username}/*", "shared/%%{x}"]', out, 1, true)
    assert.matches('variable = "aws:PrincipalTag/team$${x}"', out, 1, true)
  end)

  it("writes placeholders as expressions", function()
    local out = core.hcl_policy(C.placeholders, { style = "document", name = "p" })
    assert.matches("variable = var.key\n", out, 1, true)
    assert.matches('values   = [tostring(var.value)]\n', out, 1, true)
  end)

  -- issue 15 item 4: "If you do not include a Version element, the value
  -- defaults to 2008-10-17" (AWS IAM User Guide, Version element), while
  -- the provider writes 2012-10-17 for a data block without version
  it("writes a document without Version as version 2008-10-17, as IAM reads it", function()
    local out = core.hcl_policy({ Statement = { { Effect = "Allow", Action = { "a:b" }, Resource = { "*" } } } },
                                { style = "document", name = "p" })
    assert.matches('^data "aws_iam_policy_document" "p" {\n  version = "2008%-10%-17"\n', out)
  end)

  -- issue 15 item 6: the provider drops an empty list and refuses a
  -- repeated Sid: both are refused (render's checks name the script line)
  it("raises on an empty Action or Resource list and on a repeated Sid", function()
    local empty = { Effect = "Allow", Action = setmetatable({}, core.array_mt), Resource = { "*" } }
    assert.equal("Statement[0].Action: an empty list cannot be written in an aws_iam_policy_document "
      .. "(the provider leaves the element out)",
      err_of(core.hcl_policy, { Version = "2012-10-17", Statement = { empty } }, { style = "document", name = "d" }))
    local a = { Sid = "A", Effect = "Allow", Action = { "a:b" }, Resource = { "*" } }
    assert.equal("Statement[1].Sid: a Sid used twice cannot be written in an aws_iam_policy_document "
      .. "(the provider refuses it)",
      err_of(core.hcl_policy, { Version = "2012-10-17", Statement = { a, a } }, { style = "document", name = "d" }))
  end)

  it("raises on &{, which the provider would turn into ${", function()
    assert.matches('^Statement%[0%]%.Resource%[0%]: "&{" cannot be written',
      err_of(core.hcl_policy, doc { Effect = "Allow", Action = { "a:b" }, Resource = { "x&{y}" } },
             { style = "document", name = "d" }))
  end)

  it("has no block for an operator without keys (IAM treats it as true): nothing of it is written", function()
    -- found by the hcl_write fuzz target: such an operator named "&{" is not an error
    local out = core.hcl_policy(doc { Effect = "Allow", Action = { "a:b" }, Resource = { "x" },
      Condition = { ["Str&{ingLike"] = {}, StringEquals = { ["aws:username"] = { "bob" } } } },
      { style = "document", name = "d" })
    assert.is_nil(out:find("&{", 1, true))
    assert.matches('test     = "StringEquals"', out, 1, true)
  end)

  it("writes &{ in the jsonencode style", function()
    assert.matches('Resource = "x&{y}"', core.hcl_policy(
      doc { Effect = "Allow", Action = { "a:b" }, Resource = { "x&{y}" } }), 1, true)
  end)

  it("names the path of an error inside a principals block", function()
    assert.equal("Statement[0].Principal.AWS[0]: invalid UTF-8", err_of(core.hcl_policy,
      doc { Effect = "Allow", Principal = { AWS = { "\255" } }, Action = { "a:b" } },
      { style = "document", name = "d" }))
  end)
end)

describe("core.hcl_body", function()
  it("aligns = over a run of one-line attributes", function()
    assert.equal(lines('a           = 1', 'long_name   = "x"', 'longer_name = true', ''),
      core.hcl_body { { attr = "a", value = 1 }, { attr = "long_name", value = "x" },
                      { attr = "longer_name", value = true } })
  end)

  it("starts a new alignment run after a blank item", function()
    assert.equal(lines('a = 1', '', 'long_name = 2', ''),
      core.hcl_body { { attr = "a", value = 1 }, { blank = true }, { attr = "long_name", value = 2 } })
  end)

  it("drops blank items at the start and end of a body and collapses repeats", function()
    assert.equal(lines('a = 1', '', 'b = 2', ''),
      core.hcl_body { { blank = true }, { attr = "a", value = 1 }, { blank = true }, { blank = true },
                      { attr = "b", value = 2 }, { blank = true } })
  end)

  it("writes blocks with labels, set apart by blank lines", function()
    assert.equal(lines(
      'resource "aws_iam_role" "x" {',
      '  name = "x"',
      '',
      '  nested {',
      '    a = 1',
      '  }',
      '',
      '  after = 2',
      '}',
      '',
      'terraform {}', ''),
      core.hcl_body {
        { block = "resource", labels = { "aws_iam_role", "x" }, body = {
          { attr = "name", value = "x" },
          { block = "nested", body = { { attr = "a", value = 1 } } },
          { attr = "after", value = 2 } } },
        { block = "terraform" } })
  end)

  it("writes comments, one # line each, sticking to the next item", function()
    assert.equal(lines('# one', '#', '# two', 'variable "v" {}', ''),
      core.hcl_body { { comment = "one\n\ntwo" }, { block = "variable", labels = { "v" } } })
  end)

  it("writes numbers, booleans and strings", function()
    assert.equal(lines('i = 3600', 'f = 0.5', 'n = -2', 't = true', 'u = false', 's = "x"', ''),
      core.hcl_body { { attr = "i", value = 3600 }, { attr = "f", value = 0.5 },
                      { attr = "n", value = -2 }, { attr = "t", value = true },
                      { attr = "u", value = false }, { attr = "s", value = "x" } })
  end)

  it("writes maps with keys in bytewise order, on one line when they have one member", function()
    assert.equal(lines('one = { team = "ml" }', 'two = {', '  Z     = "2"', '  "a:b" = "1"',
                       '  z     = "3"', '}', ''),
      core.hcl_body { { attr = "one", value = { team = "ml" } },
                      { attr = "two", value = { z = "3", Z = "2", ["a:b"] = "1" } } })
  end)

  it("writes lists on one line when they fit, else one item per line", function()
    local long = {}
    for i = 1, 8 do long[i] = "arn:aws:iam::aws:policy/P" .. i end
    local out = core.hcl_body { { attr = "short", value = { "a", "b" } },
                                { attr = "long", value = long } }
    assert.matches('^short = %["a", "b"%]\nlong = %[\n  "arn:aws:iam::aws:policy/P1",\n', out)
    assert.matches('  "arn:aws:iam::aws:policy/P8"\n%]\n$', out)
  end)

  it("writes a list holding one map hugged: [{ ... }]", function()
    assert.equal(lines('x = [{', '  a = 1', '  b = 2', '}]', ''),
      core.hcl_body { { attr = "x", value = { { a = 1, b = 2 } } } })
  end)

  it("writes empty lists and maps", function()
    assert.equal(lines('l = []', 'm = {}', ''),
      core.hcl_body { { attr = "l", value = setmetatable({}, core.array_mt) },
                      { attr = "m", value = {} } })
  end)

  it("writes raw expressions as they are", function()
    assert.equal("role = aws_iam_role.x.id\n",
      core.hcl_body { { attr = "role", value = core.hcl_expr("aws_iam_role.x.id") } })
  end)

  it("writes calls on one line, or hugging their one spread argument", function()
    local arns = {}
    for i = 1, 4 do arns[i] = "arn:aws:iam::aws:policy/SomeLongManagedPolicyName" .. i end
    assert.equal(lines('a = toset(["x"])', 'b = toset([',
      '  "arn:aws:iam::aws:policy/SomeLongManagedPolicyName1",',
      '  "arn:aws:iam::aws:policy/SomeLongManagedPolicyName2",',
      '  "arn:aws:iam::aws:policy/SomeLongManagedPolicyName3",',
      '  "arn:aws:iam::aws:policy/SomeLongManagedPolicyName4"', '])', ''),
      core.hcl_body { { attr = "a", value = core.hcl_call("toset", { "x" }) },
                      { attr = "b", value = core.hcl_call("toset", arns) } })
  end)

  it("writes a call with several arguments one per line when they do not fit", function()
    local long = ("x"):rep(40)
    assert.equal(lines('v = merge(', '  { a = "' .. long .. '" },', '  { b = "' .. long .. '" }',
                       ')', ''),
      core.hcl_body { { attr = "v", value = core.hcl_call("merge", { a = long }, { b = long }) } })
  end)

  it("embeds a policy as jsonencode({...}) indented for its block", function()
    local trust = doc { Effect = "Allow", Principal = { Service = { "ec2.amazonaws.com" } },
                        Action = { "sts:AssumeRole" } }
    local out = core.hcl_body { { block = "resource", labels = { "aws_iam_role", "r" }, body = {
      { attr = "name", value = "r" },
      { attr = "assume_role_policy", value = core.hcl_jsonencode(trust) } } } }
    assert.equal(lines('resource "aws_iam_role" "r" {', '  name = "r"',
      '  assume_role_policy = jsonencode({', '    Version = "2012-10-17"', '    Statement = [{',
      '      Effect    = "Allow"', '      Principal = { Service = "ec2.amazonaws.com" }',
      '      Action    = "sts:AssumeRole"', '    }]', '  })', '}', ''), out)
  end)

  it("writes a block whose body is a policy document", function()
    local d = doc { Effect = "Allow", Action = { "a:b" } }
    assert.equal(core.hcl_policy(d, { style = "document", name = "x" }),
      core.hcl_body { { block = "data", labels = { "aws_iam_policy_document", "x" }, policy = d } })
  end)

  it("names the path of a bad value: block, labels, attribute, keys", function()
    assert.equal("resource.aws_iam_role.x.tags.team: invalid UTF-8", err_of(core.hcl_body, {
      { block = "resource", labels = { "aws_iam_role", "x" }, body = {
        { attr = "tags", value = { team = "\255" } } } } }))
  end)

  it("names the path of a bad value inside an embedded policy", function()
    assert.equal("resource.aws_iam_role_policy.p.policy.Statement[0].Action[1]: invalid UTF-8",
      err_of(core.hcl_body, { { block = "resource", labels = { "aws_iam_role_policy", "p" }, body = {
        { attr = "policy", value = core.hcl_jsonencode(doc { Effect = "Allow",
                                                         Action = { "a:b", "\255" } }) } } } }))
  end)

  it("rejects an item without a kind, or with two", function()
    assert.equal("[0]: a body item needs one of attr, block, blank, comment",
                 err_of(core.hcl_body, { { name = "x" } }))
    assert.equal("[0]: a body item has exactly one of attr, block, blank, comment",
                 err_of(core.hcl_body, { { attr = "x", block = "y" } }))
    assert.equal("[1]: expected a body item (a table), got string",
                 err_of(core.hcl_body, { { blank = true }, "x" }))
  end)

  it("rejects names and labels that are not identifiers", function()
    assert.matches("attr must be an identifier", err_of(core.hcl_body, { { attr = "a b", value = 1 } }),
                   1, true)
    assert.matches("block must be an identifier", err_of(core.hcl_body, { { block = "1x" } }), 1, true)
    assert.matches("block labels must be identifiers",
                   err_of(core.hcl_body, { { block = "resource", labels = { 'x"y' } } }), 1, true)
  end)

  it("rejects an attribute without a value", function()
    assert.equal("name: missing value", err_of(core.hcl_body, { { attr = "name" } }))
  end)

  it("rejects values it cannot write", function()
    assert.equal("f: cannot write a function",
                 err_of(core.hcl_body, { { attr = "f", value = print } }))
    assert.equal("n: cannot write NaN or infinity",
                 err_of(core.hcl_body, { { attr = "n", value = 0 / 0 } }))
    assert.equal("m: table mixes list and map keys",
                 err_of(core.hcl_body, { { attr = "m", value = { 1, a = 2 } } }))
    assert.equal("s: sparse list (keys must be 1..n)",
                 err_of(core.hcl_body, { { attr = "s", value = { [1] = "a", [3] = "c" } } }))
    assert.matches("expression: control characters",
                   err_of(core.hcl_body, { { attr = "e", value = core.hcl_expr("a\nb") } }), 1, true)
  end)

  it("rejects a comment with control characters", function()
    assert.matches("comment: control characters",
                   err_of(core.hcl_body, { { comment = "a\tb" } }), 1, true)
  end)

  it("bounds the nesting depth (a table that holds itself)", function()
    local t = {}
    t.self = t
    assert.matches("nesting too deep", err_of(core.hcl_body, { { attr = "t", value = t } }), 1, true)
  end)

  it("rejects a bad function name for a call", function()
    assert.has_error(function() core.hcl_call("a b") end)
  end)
end)

describe("leastpriv.hcl.render", function()
  local trust = doc { Effect = "Allow", Principal = { Service = { "lambda.amazonaws.com" } },
                      Action = { "sts:AssumeRole" } }
  local s3 = doc { Effect = "Allow", Action = { "s3:GetObject" }, Resource = { "arn:aws:s3:::b/*" } }

  local function role(t)
    local r = { kind = "role", name = "fn-role", trust = trust, policies = {},
                managed_policy_arns = {}, tags = {} }
    for k, v in pairs(t or {}) do r[k] = v end
    return r
  end

  local function labels(out, rtype)
    local names = {}
    for n in ("\n" .. out):gmatch('\nresource "' .. rtype .. '" "([^"]+)"') do
      names[#names + 1] = n
    end
    return names
  end

  it("writes a role's attributes in a fixed order", function()
    local out = hcl.render(role { path = "/service-role/", description = "Runs fn",
      max_session_duration = 3600, permissions_boundary = "arn:aws:iam::1:policy/b",
      tags = { team = "ml", env = "dev" } })
    assert.matches(lines(
      'resource "aws_iam_role" "fn_role" {',
      '  name                 = "fn-role"',
      '  path                 = "/service-role/"',
      '  description          = "Runs fn"',
      '  max_session_duration = 3600',
      '  permissions_boundary = "arn:aws:iam::1:policy/b"',
      '  assume_role_policy = jsonencode({'), out, 1, true)
    local tail = lines('  })', '  tags = {', '    env  = "dev"', '    team = "ml"', '  }', '}', '')
    assert.equal(tail, out:sub(-#tail))
  end)

  it("writes each inline policy as aws_iam_role_policy on the role's id", function()
    local out = hcl.render(role { policies = { { name = "read-b", document = s3 } } })
    assert.matches(lines('resource "aws_iam_role_policy" "read_b" {', '  name = "read-b"',
                         '  role = aws_iam_role.fn_role.id', '  policy = jsonencode({'), out, 1, true)
  end)

  it("writes one attachment per managed policy ARN, named after the ARN", function()
    local out = hcl.render(role { managed_policy_arns = {
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess" } })
    assert.matches(lines(
      'resource "aws_iam_role_policy_attachment" "fn_role_AWSLambdaBasicExecutionRole" {',
      '  role       = aws_iam_role.fn_role.name',
      '  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"',
      '}', '',
      'resource "aws_iam_role_policy_attachment" "fn_role_AWSXRayDaemonWriteAccess" {'), out, 1, true)
  end)

  it("writes inline policies as aws_iam_policy plus attachment with policies = \"managed\"", function()
    local out = hcl.render(role { policies = { { name = "read-b", document = s3 } } },
                           { policies = "managed" })
    assert.matches(lines('resource "aws_iam_policy" "read_b" {', '  name = "read-b"',
                         '  policy = jsonencode({'), out, 1, true)
    assert.matches(lines('resource "aws_iam_role_policy_attachment" "read_b" {',
                         '  role       = aws_iam_role.fn_role.name',
                         '  policy_arn = aws_iam_policy.read_b.arn', '}'), out, 1, true)
    assert.not_matches("aws_iam_role_policy\"", out, 1, true)
  end)

  it("writes a standalone policy as aws_iam_policy", function()
    local out = hcl.render { kind = "policy", name = "read-b", path = "/ml/", description = "Read b",
                             document = s3 }
    assert.matches(lines('resource "aws_iam_policy" "read_b" {', '  name        = "read-b"',
                         '  path        = "/ml/"', '  description = "Read b"',
                         '  policy = jsonencode({'), out, 1, true)
  end)

  it("writes a list of items in order", function()
    local out = hcl.render { { kind = "policy", name = "p", document = s3 }, role() }
    assert.truthy(out:find('resource "aws_iam_policy" "p"', 1, true)
                  < out:find('resource "aws_iam_role" "fn_role"', 1, true))
  end)

  it("uses tf_name for the local name", function()
    assert.same({ "fn" }, labels(hcl.render(role { tf_name = "fn" }), "aws_iam_role"))
  end)

  it("derives local names from names: _ for other bytes, a _ before a digit", function()
    assert.same({ "_9_lives_caf__" }, labels(hcl.render(role { name = "9-lives.caf\195\169" }),
                                             "aws_iam_role"))
    assert.equal("role_name", hcl.local_name("\248var.role_name\249"))
    assert.equal("svc_role_name_x", hcl.local_name("svc-\248var.role_name\249-x"))
  end)

  it("makes local names unique with _2, _3, avoiding explicit tf_names", function()
    local out = hcl.render { role(), role(), role { name = "other", tf_name = "fn_role_2" } }
    assert.same({ "fn_role", "fn_role_3", "fn_role_2" }, labels(out, "aws_iam_role"))
  end)

  it("writes the role name placeholder as a bare variable", function()
    assert.matches('  name = var.role_name\n',
                   hcl.render(role { name = "\248var.role_name\249" }), 1, true)
  end)

  it("writes data blocks before their resources in document style", function()
    local out = hcl.render(role { policies = { { name = "read-b", document = s3 } } },
                           { style = "document" })
    local d1 = out:find('data "aws_iam_policy_document" "fn_role_assume_role" {', 1, true)
    local r1 = out:find('resource "aws_iam_role" "fn_role" {', 1, true)
    local d2 = out:find('data "aws_iam_policy_document" "read_b" {', 1, true)
    local r2 = out:find('resource "aws_iam_role_policy" "read_b" {', 1, true)
    assert.truthy(d1 and r1 and d2 and r2)
    assert.truthy(d1 < r1 and r1 < d2 and d2 < r2)
    assert.matches("assume_role_policy = data.aws_iam_policy_document.fn_role_assume_role.json",
                   out, 1, true)
    assert.matches("policy = data.aws_iam_policy_document.read_b.json", out, 1, true)
  end)

  it("writes a bare document as the expression, or as a data block", function()
    assert.equal(core.hcl_policy(s3) .. "\n", hcl.render(s3))
    assert.equal(core.hcl_policy(s3, { style = "document", name = "s3" }),
                 hcl.render(s3, { style = "document", name = "s3" }))
  end)

  it("raises at the caller's line on input that is not a role or a policy", function()
    local ok, err = pcall(hcl.render, 42)
    assert.is_false(ok)
    assert.matches("expected a role, a policy, or a list of them", err, 1, true)
    assert.has_error(function() hcl.render { { kind = "user", name = "x" } } end,
                     [[[0]: expected kind "role" or "policy", got user]])
    local _, e2 = pcall(function() hcl.render({ kind = "bogus" }) end)
    assert.matches("^spec/hcl_spec.lua:%d+: ", e2)
  end)

  it("raises on a bad or duplicate tf_name", function()
    assert.has_error(function() hcl.render(role { tf_name = "a b" }) end)
    local _, err = pcall(hcl.render, { role { tf_name = "x" }, role { tf_name = "x" } })
    assert.matches('tf_name "x" is used twice', err, 1, true)
  end)

  it("raises on a role without trust, or with a bad field", function()
    local _, err = pcall(hcl.render, role { trust = false })
    assert.matches("role.trust: expected a policy document", err, 1, true)
    _, err = pcall(hcl.render, role { max_session_duration = 1.5 })
    assert.matches("role.max_session_duration: expected an integer", err, 1, true)
    _, err = pcall(hcl.render, role { managed_policy_arns = { 1 } })
    assert.matches("role.managed_policy_arns[0]: expected a string", err, 1, true)
  end)

  it("raises on an unknown style or policies mode", function()
    assert.has_error(function() hcl.render(role(), { style = "yaml" }) end)
    assert.has_error(function() hcl.render(role(), { policies = "shared" }) end)
  end)

  it("passes errors from the writer with their path", function()
    local _, err = pcall(hcl.render, role { policies = { { name = "p",
      document = doc { Effect = "Allow", Action = { "\255" } } } } })
    assert.matches("resource.aws_iam_role_policy.p.policy.Statement[0].Action[0]: invalid UTF-8",
                   err, 1, true)
  end)
end)
