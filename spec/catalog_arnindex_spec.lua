-- csrc/catalog_arnindex.c: classifying an ARN through the per-state index
-- of ARN templates gives exactly what a scan of every resource type gives.
local core = require "leastpriv.core"
local lp = require "leastpriv"

-- Every catalog template, its placeholders filled four ways.
local function template_arns()
  local arns = {}
  for _, svc in ipairs(core.catalog_services()) do
    local info = core.catalog_service(svc.prefix or svc)
    for _, rt in ipairs(info and info.resource_types or {}) do
      for _, t in ipairs(type(rt.arn) == "table" and rt.arn or { rt.arn }) do
        for _, fill in ipairs { "x1", "a/b", "a:b", "*" } do
          arns[#arns + 1] = t:gsub("%${Partition}", "aws"):gsub("%${Region}", "us-east-1")
            :gsub("%${Account}", "123456789012"):gsub("%${[^}]*}", fill)
        end
      end
    end
  end
  return arns
end

describe("the ARN template index", function()
  it("agrees with a scan of every resource type on every template's ARNs", function()
    local arns, bad = template_arns(), {}
    assert.truthy(#arns > 8000)
    for _, a in ipairs(arns) do
      local x, y = core.catalog_arn_type_ids(a), core.catalog_arn_type_ids(a, true)
      if table.concat(x, ",") ~= table.concat(y, ",") then bad[#bad + 1] = a end
    end
    assert.same({}, bad)
  end)

  it("agrees on odd ARNs: wildcards, other partitions, no match, placeholder services", function()
    for _, a in ipairs {
      "arn:aws:s3:::b", "arn:aws:s3:::b/k", "arn:*:s3:::b/k", "arn:aws:s*:::b/k", "arn:aws:S3:::b",
      "arn:aws-cn:iam::123456789012:role/x", "arn:aws:nosuch:us-east-1:1:thing/x",
      "arn:aws:backup:us-east-1:123456789012:recovery-point:abc",
      "arn:aws:ec2:us-east-1::snapshot/snap-1", "arn:aws:ec2:us-east-1:123456789012:instance/*",
      "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s", "arn:aws:s3:::", "arn:aws:iam::1:",
      "arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:sts::1:assumed-role/r/s",
    } do
      assert.same(core.catalog_arn_type_ids(a, true), core.catalog_arn_type_ids(a), a)
    end
  end)

  it("answers nothing for what is not an ARN", function()
    for _, a in ipairs { "", "arn:", "s3:::b", "arn:aws:s3", ("arn:aws:s3:::" .. ("k"):rep(5000)) } do
      assert.same({}, core.catalog_arn_type_ids(a))
    end
  end)

  it("lp.arn.resource_types keeps its answers (the ARN's own service first)", function()
    local list = lp.arn.resource_types("arn:aws:s3:::b/k")
    assert.equal("s3", list[1].service)
    assert.equal("object", list[1].name)
    assert.same({}, lp.arn.resource_types("arn:aws:nosuch:us-east-1:1:thing/x"))
    assert.is_nil((lp.arn.resource_types("not an arn")))
  end)
end)
