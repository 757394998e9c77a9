-- IAM condition operators: the 27 base operators and their modifiers
-- (prefix ForAllValues: / ForAnyValue:, suffix IfExists).
local M = {}

-- Base operator -> value type it compares.
M.base = {
  StringEquals = "String", StringNotEquals = "String",
  StringEqualsIgnoreCase = "String", StringNotEqualsIgnoreCase = "String",
  StringLike = "String", StringNotLike = "String",
  NumericEquals = "Numeric", NumericNotEquals = "Numeric",
  NumericLessThan = "Numeric", NumericLessThanEquals = "Numeric",
  NumericGreaterThan = "Numeric", NumericGreaterThanEquals = "Numeric",
  DateEquals = "Date", DateNotEquals = "Date",
  DateLessThan = "Date", DateLessThanEquals = "Date",
  DateGreaterThan = "Date", DateGreaterThanEquals = "Date",
  Bool = "Bool", BinaryEquals = "Binary",
  IpAddress = "IPAddress", NotIpAddress = "IPAddress",
  ArnEquals = "ARN", ArnLike = "ARN", ArnNotEquals = "ARN", ArnNotLike = "ARN",
  Null = "Null",
}

local names = {}
for k in pairs(M.base) do names[#names + 1] = k end
table.sort(names)
M.names = names

-- parse(op) -> { base =, qualifier = "ForAllValues"|"ForAnyValue"|nil,
-- if_exists = bool } or nil, message.
function M.parse(op)
  local qualifier, rest = op:match("^(For%a+Values?):(.*)$")
  if qualifier and qualifier ~= "ForAllValues" and qualifier ~= "ForAnyValue" then
    return nil, ("unknown set qualifier '%s:' (ForAllValues: or ForAnyValue:)"):format(qualifier)
  end
  rest = rest or op
  local base, if_exists = rest, false
  if rest:sub(-8) == "IfExists" then base, if_exists = rest:sub(1, -9), true end
  if not M.base[base] then
    local hint = require("leastpriv.util").did_you_mean(base, names)
    return nil, ("unknown condition operator '%s'%s"):format(op, hint)
  end
  if base == "Null" and if_exists then
    return nil, "Null cannot take the IfExists suffix"
  end
  return { base = base, qualifier = qualifier, if_exists = if_exists }
end

return M
