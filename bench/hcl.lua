-- bench/hcl.lua: HCL write of leastpriv.core (and the Lua assembly above
-- it) on a generated policy at 1x, 10x and 100x the statements (1x = 4
-- statements: the seed's execution policy plus a conditioned one), with a
-- template variable and ${aws:username} so the escaper works too.
-- Figures in microseconds per document or role.
--
--   lua5.4 bench/hcl.lua [--quick]      (from the repository root, after make build)
package.path = "bench/?.lua;" .. package.path
local bench = require "lib"
local core = require "leastpriv.core"
local hcl = require "leastpriv.hcl"
local terraform = require "leastpriv.terraform"

local vars = { { name = "account_id", type = "string" } }

local function make_role(doc)
  return { kind = "role", name = "trainer", managed_policy_arns = {}, tags = { team = "ml" },
           trust = { Version = "2012-10-17", Statement = { { Effect = "Allow",
             Principal = { Service = { "sagemaker.amazonaws.com" } }, Action = { "sts:AssumeRole" } } } },
           policies = { { name = "data", document = doc } } }
end

for _, scale in ipairs { 1, 10, 100 } do
  local doc = bench.policy(scale, true)
  local role = make_role(doc)
  local size = ("%d statements, %.0f KB"):format(4 * scale, #core.hcl_policy(doc) / 1024)
  local function row(what, fn)
    bench.report(what .. ", " .. size, bench.time(fn) * 1e6, "us")
  end
  row("HCL write: hcl_policy jsonencode", function() core.hcl_policy(doc, { indent = 2 }) end)
  row("HCL write: hcl_policy document", function()
    core.hcl_policy(doc, { style = "document", name = "data" })
  end)
  row("HCL write: hcl.render role", function() hcl.render(role) end)
  row("HCL write: terraform.module role", function() terraform.module(role, { variables = vars }) end)
end
