-- The checks that ML roles need (issue 13): each class failed only at run
-- time on real roles.
local lp = require "leastpriv"

local function doc(...)
  return '{"Version": "2012-10-17", "Statement": [' .. table.concat({ ... }, ", ") .. "]}"
end

local function codes_of(text, opts)
  local set = {}
  for _, f in ipairs(lp.validate(text, opts)) do set[f.code] = f end
  return set
end

local SUBNET = "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0abc"
local SG = "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0abc"

describe("required resource types", function()
  -- Service Authorization Reference, the actions table: "Required
  -- resources are indicated in the table with an asterisk (*). If you
  -- specify a resource-level permission ARN in a statement using this
  -- action, then it must be of this type."  ec2:CreateNetworkInterface
  -- marks network-interface* and subnet*.
  local function eni(resources, more)
    return doc(('{"Effect": "Allow", "Action": "ec2:CreateNetworkInterface", "Resource": ["%s"]}')
      :format(table.concat(resources, '", "')), more)
  end

  it("reports an Allow on the subnet and security group but no network interface", function()
    local f = codes_of(eni { SUBNET, SG }).MISSING_REQUIRED_RESOURCE_TYPE
    assert.truthy(f)
    assert.equal("warning", f.severity)
    assert.matches("network%-interface", f.hint)
    assert.equal("Statement[0].Action", f.path)
  end)

  it("is satisfied by the type in the statement, in another Allow, or by *", function()
    assert.is_nil(codes_of(eni { SUBNET, SG, "arn:aws:ec2:us-east-1:111122223333:network-interface/*" })
      .MISSING_REQUIRED_RESOURCE_TYPE)
    assert.is_nil(codes_of(eni({ SUBNET, SG }, '{"Effect": "Allow", "Action": "ec2:Create*", '
      .. '"Resource": "arn:aws:ec2:*:*:network-interface/*"}')).MISSING_REQUIRED_RESOURCE_TYPE)
    assert.is_nil(codes_of(eni({ SUBNET }, '{"Effect": "Allow", "Action": "ec2:CreateNetworkInterface", '
      .. '"Resource": "*"}')).MISSING_REQUIRED_RESOURCE_TYPE)
    -- a Deny does not give it
    assert.truthy(codes_of(eni({ SUBNET, SG }, '{"Effect": "Deny", "Action": "ec2:CreateNetworkInterface", '
      .. '"Resource": "arn:aws:ec2:*:*:network-interface/*"}')).MISSING_REQUIRED_RESOURCE_TYPE)
  end)

  it("counts a kind of the type (application-inference-profile), and leaves scenarios alone", function()
    assert.is_nil(codes_of(doc('{"Effect": "Allow", "Action": "bedrock:GetInferenceProfile", '
      .. '"Resource": "arn:aws:bedrock:*:*:application-inference-profile/*"}')).MISSING_REQUIRED_RESOURCE_TYPE)
    assert.is_nil(codes_of(doc(('{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "%s"}')
      :format(SUBNET))).MISSING_REQUIRED_RESOURCE_TYPE)
  end)

  it("lp.needs adds the resource a request also names", function()
    local s = lp.needs { { "ec2:CreateNetworkInterface", SUBNET }, { "ec2:CreateNetworkInterface", SG } }
    assert.equal(1, #s)
    assert.same({ "arn:aws:ec2:us-east-1:111122223333:network-interface/*", SG, SUBNET }, s[1].Resource)
    local text = lp.json(lp.policy(s))
    assert.is_nil(codes_of(text).MISSING_REQUIRED_RESOURCE_TYPE)
  end)

  it("lp.grant adds a statement for the resources its actions are named after", function()
    local s = lp.grant(SUBNET, "write")
    local found
    for _, st in ipairs(s) do
      local r = type(st.Resource) == "table" and st.Resource or { st.Resource }
      if r[1] == "arn:aws:ec2:us-east-1:111122223333:network-interface/*" then found = st end
    end
    assert.truthy(found, "a statement on network-interface/*")
    local text = lp.json(lp.policy(s))
    assert.is_nil(codes_of(text).MISSING_REQUIRED_RESOURCE_TYPE)
  end)
end)
