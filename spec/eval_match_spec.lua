-- Matching (csrc/eval.c): actions, resources, NotAction / NotResource /
-- NotPrincipal, principals, catalog resource types, explanations.
local lp = require "leastpriv"

local A = "111111111111"
local SESSION = ("arn:aws:sts::%s:assumed-role/app/s1"):format(A)

local function doc(stmt)
  stmt.Effect = stmt.Effect or "Allow"
  return { Version = "2012-10-17", Statement = { stmt } }
end

local function d(policies, action, resource, extra)
  local req = { action = action, resource = resource }
  for k, v in pairs(extra or {}) do req[k] = v end
  return lp.simulate(req, policies)
end

describe("matching", function()
  describe("actions", function()
    it("ignore case", function()
      local p = doc { Action = "IAM:listaccesskeys", Resource = "*" }
      assert.equal("allow", d(p, "iam:ListAccessKeys", "arn:aws:iam::1:user/u"))
      assert.equal("allow", d(p, "iam:LISTACCESSKEYS", "*"))
    end)
    it("take * and ? anywhere in the name", function()
      local p = doc { Action = { "s3:Get*Tagging", "sqs:?endMessage" }, Resource = "*" }
      assert.equal("allow", d(p, "s3:GetObjectTagging", "arn:aws:s3:::b/k"))
      assert.equal("allow", d(p, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q"))
      assert.equal("implicit_deny", d(p, "s3:GetObject", "arn:aws:s3:::b/k"))
      assert.equal("implicit_deny", d(p, "sqs:SendMessageBatch", "arn:aws:sqs:us-east-1:1:q"))
    end)
    it("a bare * is every action", function()
      assert.equal("allow", d(doc { Action = "*", Resource = "*" }, "ec2:RunInstances", "*"))
    end)
    it("a comma inside one entry is a literal (matches nothing)", function()
      assert.equal("implicit_deny", d(doc { Action = "s3:GetObject,PutObject", Resource = "*" }, "s3:GetObject", "*"))
    end)
    it("NotAction: Allow grants every other action, in every service", function()
      local p = doc { NotAction = "iam:*", Resource = "*" }
      assert.equal("allow", d(p, "s3:GetObject", "arn:aws:s3:::b/k"))
      assert.equal("implicit_deny", d(p, "iam:CreateUser", "arn:aws:iam::1:user/u"))
    end)
    it("NotAction with Deny denies the rest and grants nothing", function()
      local p = { doc { Action = "*", Resource = "*" }, doc { Effect = "Deny", NotAction = "s3:*", Resource = "*" } }
      assert.equal("allow", d(p, "s3:GetObject", "arn:aws:s3:::b/k"))
      assert.equal("explicit_deny", d(p, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q"))
      assert.equal("implicit_deny", d(doc { Effect = "Deny", NotAction = "s3:*", Resource = "*" }, "s3:GetObject", "*"))
    end)
  end)

  describe("resources", function()
    it("* crosses / (the AWS example)", function()
      local p = doc { Action = "s3:GetObject", Resource = "arn:aws:s3:::bucket/*/test/*" }
      assert.equal("allow", d(p, "s3:GetObject", "arn:aws:s3:::bucket/1/2/test/3/x.jpg"))
      assert.equal("allow", d(p, "s3:GetObject", "arn:aws:s3:::bucket//test/x"))
      assert.equal("implicit_deny", d(p, "s3:GetObject", "arn:aws:s3:::bucket/test/x.jpg"))
    end)
    it("* in the resource part crosses :", function()
      local p = doc { Action = "logs:PutLogEvents", Resource = "arn:aws:logs:us-east-1:1:log-group:/aws/x:*" }
      assert.equal("allow", d(p, "logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:/aws/x:log-stream:s"))
    end)
    it("the resource part is case-sensitive, the service part is not", function()
      local p = doc { Action = "s3:GetObject", Resource = "arn:aws:S3:::Bucket/*" }
      assert.equal("allow", d(p, "s3:GetObject", "arn:aws:s3:::Bucket/k"))
      assert.equal("implicit_deny", d(p, "s3:GetObject", "arn:aws:s3:::bucket/k"))
    end)
    it("NotResource: every resource except those listed", function()
      local p = doc { Action = "s3:GetObject", NotResource = "arn:aws:s3:::secret/*" }
      assert.equal("allow", d(p, "s3:GetObject", "arn:aws:s3:::open/k"))
      assert.equal("implicit_deny", d(p, "s3:GetObject", "arn:aws:s3:::secret/k"))
    end)
  end)

  describe("resource types from the catalog", function()
    local p = doc { Action = "s3:*", Resource = "*" }
    it("an action applies only to ARNs of its resource types", function()
      assert.equal("allow", d(p, "s3:ListBucket", "arn:aws:s3:::b"))
      local dec, e = d(p, "s3:ListBucket", "arn:aws:s3:::b/k")
      assert.equal("implicit_deny", dec)
      assert.matches("s3:ListBucket does not act on a resource of type object", e.invalid, 1, true)
    end)
    it("an action without resource types applies only to *", function()
      local ecr = doc { Action = "ecr:GetAuthorizationToken", Resource = "*" }
      assert.equal("allow", d(ecr, "ecr:GetAuthorizationToken", "*"))
      local dec, e = d(ecr, "ecr:GetAuthorizationToken", "arn:aws:ecr:us-east-1:1:repository/r")
      assert.equal("implicit_deny", dec)
      assert.equal('ecr:GetAuthorizationToken has no resource type: it applies only to "*"', e.invalid)
    end)
    it("an unknown action is still evaluated by name", function()
      assert.equal("allow", d(doc { Action = "made:Up", Resource = "*" }, "made:up", "arn:aws:made:::x"))
    end)
  end)

  describe("principals", function()
    local function rp(principal, extra)
      local s = { Effect = "Allow", Action = "sqs:SendMessage", Resource = "*", Principal = principal }
      for k, v in pairs(extra or {}) do s[k] = v end
      return { resource = { Version = "2012-10-17", Statement = { s } } }
    end
    local Q = ("arn:aws:sqs:us-east-1:%s:q"):format(A)
    local function who(g, principal) return d(g, "sqs:SendMessage", Q, { principal = principal }) end

    it("* is everyone", function()
      assert.equal("allow", who(rp("*"), SESSION))
      assert.equal("allow", who(rp({ AWS = "*" }), ("arn:aws:iam::%s:user/x"):format(A)))
      assert.equal("allow", who(rp("*"), "anonymous"))
    end)
    it("a role ARN names its sessions (any path)", function()
      assert.equal("allow", who(rp({ AWS = ("arn:aws:iam::%s:role/path/app"):format(A) }), SESSION))
      assert.equal("implicit_deny", who(rp({ AWS = ("arn:aws:iam::%s:role/other"):format(A) }), SESSION))
    end)
    it("a session ARN names one session", function()
      assert.equal("allow", who(rp({ AWS = SESSION }), SESSION))
      assert.equal("implicit_deny", who(rp({ AWS = SESSION }), ("arn:aws:sts::%s:assumed-role/app/s2"):format(A)))
    end)
    it("service, federated and canonical principals compare literally", function()
      assert.equal("allow", who(rp({ Service = "sns.amazonaws.com" }), "sns.amazonaws.com"))
      assert.equal("implicit_deny", who(rp({ Service = "sns.amazonaws.com" }), "sqs.amazonaws.com"))
      local oidc = ("arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com"):format(A)
      assert.equal("allow", who(rp({ Federated = oidc }), { federated = oidc }))
      assert.equal("implicit_deny", who(rp({ Federated = oidc }), { federated = oidc .. "x" }))
      assert.equal("allow", who(rp({ CanonicalUser = "abc" }), { canonical_user = "abc" }))
    end)
    it("NotPrincipal applies to everyone not listed", function()
      local g = { identity = doc { Action = "*", Resource = "*" } }
      g.resource = { Version = "2012-10-17", Statement = { { Effect = "Deny", Action = "sqs:*", Resource = "*",
        NotPrincipal = { AWS = { SESSION, ("arn:aws:iam::%s:role/app"):format(A), A } } } } }
      assert.equal("allow", who(g, SESSION))
      assert.equal("explicit_deny", who(g, ("arn:aws:sts::%s:assumed-role/other/s"):format(A)))
    end)
    it("NotPrincipal must list a session's role and account too", function()
      local g = { identity = doc { Action = "*", Resource = "*" } }
      g.resource = { Version = "2012-10-17", Statement = { { Effect = "Deny", Action = "sqs:*", Resource = "*",
        NotPrincipal = { AWS = SESSION } } } }
      assert.equal("explicit_deny", who(g, SESSION))
    end)
  end)

  describe("explanations", function()
    local p = lp.policy {
      lp.allow { sid = "Read", action = "s3:GetObject", resource = "arn:aws:s3:::b/*",
                 condition = { IpAddress = { ["aws:SourceIp"] = "10.0.0.0/8" } } },
      lp.deny { sid = "NoTmp", action = "s3:*", resource = "arn:aws:s3:::b/tmp/*" },
    }
    it("are built only when asked", function()
      local dec, e = lp.simulate({ action = "s3:GetObject", resource = "arn:aws:s3:::b/k" }, p)
      assert.equal("implicit_deny", dec)
      assert.is_nil(e)
    end)
    it("name each statement that matched or failed, and why", function()
      local _, e = lp.simulate({ action = "s3:GetObject", resource = "arn:aws:s3:::b/k",
        context = { ["aws:SourceIp"] = "192.168.0.1" } }, p, { explain = true })
      assert.equal("implicit_deny", e.decision)
      assert.equal("no identity policy allows it", e.reason)
      assert.equal(2, #e.statements)
      local s1 = e.statements[1]
      assert.same({ "identity", 1, "Read", "Allow", "condition", false },
        { s1.kind, s1.index, s1.sid, s1.effect, s1.result, s1.matched })
      assert.same({ operator = "IpAddress", key = "aws:SourceIp", values = { "10.0.0.0/8" },
        request = "192.168.0.1", present = true }, s1.condition)
      assert.equal("resource", e.statements[2].result)
      assert.matches('condition fails: IpAddress aws:SourceIp: request has "192.168.0.1", policy wants "10.0.0.0/8"',
        e.text, 1, true)
    end)
    it("say which key was absent", function()
      local _, e = lp.simulate({ action = "s3:GetObject", resource = "arn:aws:s3:::b/k" }, p, { explain = true })
      assert.is_false(e.statements[1].condition.present)
      assert.matches("aws:SourceIp is absent from the request", e.text, 1, true)
    end)
    it("name the deny that wins", function()
      local _, e = lp.simulate({ action = "s3:GetObject", resource = "arn:aws:s3:::b/tmp/k",
        context = { ["aws:SourceIp"] = "10.1.1.1" } }, p, { explain = true })
      assert.equal("explicit_deny", e.decision)
      assert.equal("explicitly denied by an identity policy", e.reason)
      assert.matches("statement 2 NoTmp (Deny): applies", e.text, 1, true)
    end)
  end)

  describe("lp.compile", function()
    it("compiles once and is reused", function()
      local p = assert(lp.compile(doc { Action = "*", Resource = "*" }))
      assert.equal("allow", p:decide({ action = "s3:GetObject", resource = "*" }))
      assert.equal("allow", lp.simulate({ action = "s3:GetObject", resource = "*" }, p))
      assert.matches("leastpriv.Policy", tostring(p), 1, true)
    end)
    it("returns nil and a message for bad policies", function()
      local p, err = lp.compile({ Version = "2012-10-17", Statement = { { Effect = "Allow" } } })
      assert.is_nil(p)
      assert.matches("Action", err, 1, true)
      local _, err2 = lp.compile({ identiti = {} })
      assert.matches("unknown policy group 'identiti' (did you mean 'identity'?)", err2, 1, true)
    end)
    it("misuse raises at the caller", function()
      assert.has_error(function() lp.simulate("s3:GetObject", {}) end)
      assert.has_error(function() lp.simulate({ resource = "*" }, doc { Action = "*", Resource = "*" }) end)
    end)
  end)

  describe("lp.effective", function()
    local role = require("leastpriv.busted").load("examples/sagemaker/execution_role.lua")
    it("lists the actions allowed on one ARN", function()
      assert.same({ "s3:GetObject" }, lp.effective(role, "arn:aws:s3:::my-ml-training-data/experiments/input/x"))
      assert.same({ "logs:CreateLogStream", "logs:PutLogEvents" }, lp.effective(role,
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/TrainingJobs:log-stream:s"))
    end)
    it("lists the actions allowed on * with a context", function()
      assert.same({ "ecr:GetAuthorizationToken", "sts:GetCallerIdentity" }, lp.effective(role, "*"))
      assert.same({ "cloudwatch:PutMetricData", "ecr:GetAuthorizationToken", "sts:GetCallerIdentity" },
        lp.effective(role, "*", { ["cloudwatch:namespace"] = "/aws/sagemaker/TrainingJobs" }))
    end)
    it("keeps to the ARN's resource types", function()
      local s3all = doc { Action = "s3:*", Resource = "arn:aws:s3:::b/*" }
      local list = lp.effective(s3all, "arn:aws:s3:::b/k")
      assert.truthy(#list > 10)
      for _, a in ipairs(list) do assert.is_nil(a:find("Bucket$")) end
      assert.same({}, lp.effective(s3all, "arn:aws:s3:::b"))
    end)
    it("says when the ARN is of no known type", function()
      local l, err = lp.effective(role, "arn:aws:nothing:::x")
      assert.is_nil(l)
      assert.matches("not an ARN of any resource type", err, 1, true)
    end)
  end)
end)
