-- Rules on the values of script inputs (lp.var), from where they are used:
-- the account or region part of an ARN, an S3 bucket name, a string in an
-- aws_iam_policy_document.  The same rules check --set values (render and
-- check) and become `validation` blocks of the generated Terraform
-- variables, so Terraform users get them too.
local template = require "leastpriv.template"

local M = {}

-- Each rule: a Lua test, the RE2 pattern terraform's regex() takes, and
-- what a value must be.
M.RULES = {
  account = {
    test = function(s) return s:match("^%d%d%d%d%d%d%d%d%d%d%d%d$") ~= nil end,
    regex = "^[0-9]{12}$",
    what = "a 12-digit AWS account ID",
  },
  region = {
    -- us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1 (as arn_check)
    test = function(s)
      return s:match("^%l%l[%l%d]*%-[%l%d%-]*%-%d+$") ~= nil and not s:find("%-%-")
    end,
    regex = "^[a-z]{2}[a-z0-9]*(-[a-z0-9]+)+-[0-9]+$",
    what = "a region code like us-east-1",
  },
  bucket = {
    -- "Bucket names must be between 3 (min) and 63 (max) characters long.
    -- Bucket names can consist only of lowercase letters, numbers, periods
    -- (.), and hyphens (-). Bucket names must begin and end with a letter
    -- or number." (Amazon S3 User Guide, general purpose bucket naming rules)
    test = function(s)
      return #s >= 3 and #s <= 63 and s:match("^[%l%d][%l%d%.%-]*[%l%d]$") ~= nil
    end,
    regex = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
    what = "an S3 bucket name (3 to 63 lowercase letters, digits, '.' and '-', "
      .. "starting and ending with a letter or digit)",
  },
  document = {
    -- aws_iam_policy_document turns "&{" into "${"
    test = function(s) return not (s:find("&{", 1, true) or s:find("^{") or s:find("&$")) end,
    regex = "&\\{|^\\{|&$",
    negate = true,
    what = "free of \"&{\" (and not starting with \"{\" or ending with \"&\"), which "
      .. "aws_iam_policy_document would turn into \"${\"",
  },
}
M.ORDER = { "account", "region", "bucket", "document" }

local function whole(s)
  return s:match("^" .. template.OPEN .. "var%.([%a_][%w_]*)" .. template.CLOSE .. "$")
end

-- The rules of the strings of one ARN s, into rules[name][rule] = true.
local function arn_rules(s, rules)
  if not s:find("^arn:") then return end
  local parts = {}
  for part in (s .. ":"):gmatch("([^:]*):") do parts[#parts + 1] = part end
  local function add(name, rule)
    if name then
      rules[name] = rules[name] or {}
      rules[name][rule] = true
    end
  end
  if #parts >= 6 then
    add(whole(parts[4]), "region")
    add(whole(parts[5]), "account")
    if parts[3] == "s3" and parts[4] == "" and parts[5] == "" then
      local bucket = table.concat(parts, ":", 6):match("^([^/]*)")
      add(whole(bucket), "bucket")
    end
  end
end

-- of(items [, opts]) -> { NAME = { account = true, ... } }: the rules each
-- variable's uses call for.  opts.document: the policies are written as
-- aws_iam_policy_document (every variable in them gets "document").
function M.of(items, opts)
  local rules = {}
  template.each_string(items, function(s)
    if not template.has_placeholder(s) then return end
    arn_rules(s, rules)
    if opts and opts.document then
      for _, name in ipairs(template.names(s) or {}) do
        rules[name] = rules[name] or {}
        rules[name].document = true
      end
    end
  end, "", {})
  return rules
end

-- check(name, value, rules) -> nil, or why value breaks one of rules.
function M.check(name, value, rules)
  for _, r in ipairs(M.ORDER) do
    if rules and rules[r] and not M.RULES[r].test(tostring(value)) then
      return ("%s must be %s, got %q"):format(name, M.RULES[r].what, tostring(value))
    end
  end
end

-- validations(name, rules) -> list of { condition = HCL expression text,
-- error_message = text } for the variable's validation blocks.
function M.validations(name, rules, quote)
  local out = {}
  for _, r in ipairs(M.ORDER) do
    -- an account, region or bucket name cannot hold "&{" anyway
    local implied = r == "document" and rules and (rules.account or rules.region or rules.bucket)
    if rules and rules[r] and not implied then
      local rule = M.RULES[r]
      local test = ("length(regexall(%s, var.%s))"):format(quote(rule.regex), name)
      out[#out + 1] = {
        condition = rule.negate and (test .. " == 0") or (test .. " > 0"),
        error_message = ("%s must be %s."):format(name, rule.what),
      }
    end
  end
  return out
end

return M
