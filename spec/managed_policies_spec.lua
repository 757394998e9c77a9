-- A committed sample of AWS managed policies (spec/fixtures/managed-policies,
-- README there): each was a false finding of one class of issue 13, or is
-- a true one.  The whole corpus is `make corpus` (docs/corpus.md).
local lp = require "leastpriv"
local cli = require "support.cli"

local DIR = "spec/fixtures/managed-policies/"

-- file -> { absent = codes it must not have, present = codes it must have }
local EXPECT = {
  ROSAKMSProviderPolicy = { absent = { "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE" } },
  AWSQuickSetupSSMLifecycleManagementExecutionPolicy = { absent = { "UNSUPPORTED_ACTION_FOR_CONDITION_KEY" } },
  AWSQuickSightSecretsManagerWriteAccess = { absent = { "INVALID_SERVICE_CONDITION_KEY" } },
  AWSStorageGatewayReadOnlyAccess = { absent = { "MISSING_ARN_ACCOUNT", "RESOURCE_MISMATCH" } },
  AWSBackupAccessPointOperatorAccess = { absent = { "INVALID_ARN_RESOURCE" } },
  ["AWSDeadlineCloud-FleetWorker"] = { absent = { "IRRELEVANT_CONDITION_KEY_IN_POLICY" } },
  AlexaForBusinessFullAccess = { present = { "CREATE_SLR_WITH_STAR_IN_RESOURCE" } },
  AmazonEventBridgeSchedulerFullAccess = { absent = { "PASS_ROLE_WITH_STAR_IN_RESOURCE" },
                                           present = { "PASS_ROLE_TO_ANY_ROLE" } },
  AWSObservabilityAdminLogsCentralizationServiceRolePolicy = { absent = { "TYPE_MISMATCH" } },
  AWSLambdaManagedEC2ResourceOperator = { present = { "MISSING_REQUIRED_RESOURCE_TYPE" } },
}

describe("AWS managed policies (a committed sample)", function()
  local names = {}
  for name in pairs(EXPECT) do names[#names + 1] = name end
  table.sort(names)

  for _, name in ipairs(names) do
    it(name, function()
      local text = cli.read(DIR .. name .. ".json")
      local found = {}
      for _, f in ipairs(lp.validate(text, { file = name })) do
        found[f.code] = true
        -- well-formed documents: no error but the one a class expects
        assert.is_true(f.severity ~= "error", name .. ": " .. f.code .. " " .. f.message)
      end
      for _, code in ipairs(EXPECT[name].absent or {}) do assert.is_nil(found[code], name .. ": " .. code) end
      for _, code in ipairs(EXPECT[name].present or {}) do assert.truthy(found[code], name .. ": " .. code) end
    end)
  end

  it("are all in the table, and the README names each", function()
    local readme = cli.read(DIR .. "README.md")
    local n = 0
    for name in pairs(EXPECT) do
      n = n + 1
      assert.truthy(readme:find("`" .. name .. ".json`", 1, true), name)
    end
    assert.equal(10, n)
  end)
end)
