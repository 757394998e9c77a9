-- leastpriv: AWS IAM policy-as-code.  The public Lua API.
local core = require "leastpriv.core"

local lp = { core = core, _VERSION = core._VERSION }

return lp
