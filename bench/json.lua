-- bench/json.lua: JSON read and write of leastpriv.core on a generated
-- policy at 1x, 10x and 100x the statements (1x = 4 statements: the seed's
-- execution policy plus a conditioned one), so growth is visible.  Figures
-- in microseconds per document; lua-cjson, when installed, is the peer (it
-- does less: no duplicate-key check, no positions, no key order).
--
--   lua5.4 bench/json.lua [--quick]     (from the repository root, after make build)
package.path = "bench/?.lua;" .. package.path
local bench = require "lib"
local core = require "leastpriv.core"
local has_cjson, cjson = pcall(require, "cjson")

for _, scale in ipairs { 1, 10, 100 } do
  local doc = bench.policy(scale)
  local pretty = core.policy_json(doc)
  local compact = core.policy_json(doc, { compact = true })
  local generic = assert(core.json_decode(pretty))
  local plain = has_cjson and cjson.decode(compact)
  local size = ("%d statements, %.0f KB"):format(4 * scale, #pretty / 1024)
  local function row(what, fn, peer_fn)
    bench.report(what .. ", " .. size, bench.time(fn) * 1e6, "us", nil,
                 peer_fn and bench.time(peer_fn) * 1e6, "lua-cjson")
  end
  row("JSON read: json_decode", function() core.json_decode(pretty) end,
      has_cjson and function() cjson.decode(pretty) end)
  row("JSON read: json_decode with positions",
      function() core.json_decode(pretty, { positions = true }) end)
  row("JSON write: policy_json pretty", function() core.policy_json(doc) end)
  row("JSON write: policy_json compact", function() core.policy_json(doc, { compact = true }) end,
      has_cjson and function() cjson.encode(plain) end)
  row("JSON write: json_encode compact", function() core.json_encode(generic, { compact = true }) end)
end
