-- Drawing a leastpriv.graph: Mermaid (renders in GitHub Markdown), Graphviz
-- DOT, or JSON.  Large sets stay readable: roles grouped by path or by a
-- tag, roles with the same trust collapsed into one box that the trust
-- edges reach once, and at most max_edges edges drawn (trust first, then
-- iam:PassRole, then reach), with a note saying how many were left out.
-- Every label is escaped: a name from a policy cannot end a label, start
-- a Markdown or HTML construct, or add a line to the diagram.
local core = require "leastpriv.core"

local M = {}

M.DEFAULT_MAX_EDGES = 150

-- Mermaid: inside "..." labels, entity codes (#35; for "#") stand for the
-- characters that would end the label or be read as markup.
local function mermaid_text(s)
  return (tostring(s):gsub("[%c\"#&<>%[%]{}|`\\;%%]", function(c)
    if c:match("%c") then return " " end
    return "#" .. c:byte() .. ";"
  end))
end

-- DOT: a "..." string.
local function dot_text(s)
  return (tostring(s):gsub("[%c\"\\]", function(c)
    if c == "\"" then return "\\\"" end
    if c == "\\" then return "\\\\" end
    return " "
  end))
end

local PREFIX = { role = "role: ", user = "user: ", group = "group: ", policy = "policy: ",
                 principal = "", resource = "" }

-- The group of a role node under opts.group ("path" or "tag:KEY"), or nil.
local function group_of(n, how)
  if n.kind ~= "role" or not how then return nil end
  if how == "path" then return n.path or "/" end
  local key = how:match("^tag:(.+)$")
  if key then
    local v = n.tags and n.tags[key]
    return v ~= nil and (key .. "=" .. tostring(v)) or (key .. " not set")
  end
end

-- layout(g, opts) -> { groups, collapsed, edges, omitted }: what is drawn.
local function layout(g, opts)
  local max_edges = opts.max_edges or M.DEFAULT_MAX_EDGES
  local by_id = {}
  for _, n in ipairs(g.nodes) do by_id[n.id] = n end

  -- Groups of role nodes, in node order.
  local groups, group_index = {}, {}
  for _, n in ipairs(g.nodes) do
    local name = group_of(n, opts.group)
    if name then
      local grp = group_index[name]
      if not grp then
        grp = { name = name, id = "g" .. (#groups + 1), members = {} }
        group_index[name] = grp
        groups[#groups + 1] = grp
      end
      grp.members[#grp.members + 1] = n
      n.group = name
    end
  end

  -- Roles with the same incoming trust edges (two or more, in one group).
  local trust_in = {}
  for _, e in ipairs(g.edges) do
    if e.kind == "trust" then
      local list = trust_in[e.to] or {}
      list[#list + 1] = e.from .. "\0" .. e.label
      trust_in[e.to] = list
    end
  end
  local same, collapsed, member_of = {}, {}, {}
  if opts.collapse ~= false then
    for _, n in ipairs(g.nodes) do
      local list = trust_in[n.id]
      if n.kind == "role" and list then
        table.sort(list)
        local sig = (n.group or "") .. "\1" .. table.concat(list, "\1")
        same[sig] = same[sig] or {}
        table.insert(same[sig], n)
      end
    end
    local sigs = {}
    for sig, members in pairs(same) do if #members >= 2 then sigs[#sigs + 1] = sig end end
    table.sort(sigs, function(a, b) return same[a][1].id < same[b][1].id end)
    for i, sig in ipairs(sigs) do
      local c = { id = "t" .. i, members = same[sig], group = same[sig][1].group }
      collapsed[#collapsed + 1] = c
      for _, n in ipairs(c.members) do member_of[n.id] = c end
    end
  end

  -- Edges: trust edges to a collapsed box once; then the cap.
  local drawn, seen = {}, {}
  for _, e in ipairs(g.edges) do
    local c = e.kind == "trust" and member_of[e.to]
    if c then
      local key = e.from .. "\0" .. c.id .. "\0" .. e.label
      if not seen[key] then
        seen[key] = true
        drawn[#drawn + 1] = { from = e.from, to = c.id, to_box = c, kind = e.kind, label = e.label }
      end
    else
      drawn[#drawn + 1] = e
    end
  end
  local omitted = 0
  local shown
  if #drawn > max_edges then
    omitted = #drawn - max_edges
    for i = #drawn, max_edges + 1, -1 do drawn[i] = nil end
    -- a cut drawing keeps the nodes its edges touch (and every box member)
    shown = {}
    for _, e in ipairs(drawn) do
      shown[e.from] = true
      if e.to_box then for _, n in ipairs(e.to_box.members) do shown[n.id] = true end else shown[e.to] = true end
    end
  end
  return { groups = groups, collapsed = collapsed, edges = drawn, omitted = omitted, by_id = by_id,
           shown = shown }
end

local MERMAID_SHAPE = {
  role = function(id, t) return ("%s[\"%s\"]"):format(id, t) end,
  policy = function(id, t) return ("%s[/\"%s\"/]"):format(id, t) end,
  user = function(id, t) return ("%s[[\"%s\"]]"):format(id, t) end,
  group = function(id, t) return ("%s[[\"%s\"]]"):format(id, t) end,
  principal = function(id, t) return ("%s([\"%s\"])"):format(id, t) end,
  resource = function(id, t) return ("%s[(\"%s\")]"):format(id, t) end,
}
local MERMAID_ARROW = { trust = "-->", passrole = "==>", reach = "-.->" }

local function mermaid(g, opts)
  local L = layout(g, opts)
  local out = { "flowchart LR" }
  local function line(indent, s) out[#out + 1] = string.rep("  ", indent) .. s end
  local function node_line(indent, n)
    line(indent, MERMAID_SHAPE[n.kind](n.id, mermaid_text(PREFIX[n.kind] .. n.label)))
  end
  local placed = {}
  local function box_lines(indent, c)
    line(indent, ("subgraph %s[\"%s\"]"):format(c.id,
      mermaid_text(("%d roles with the same trust"):format(#c.members))))
    for _, n in ipairs(c.members) do node_line(indent + 1, n); placed[n.id] = true end
    line(indent, "end")
  end
  for _, grp in ipairs(L.groups) do
    line(1, ("subgraph %s[\"%s\"]"):format(grp.id, mermaid_text(grp.name)))
    for _, c in ipairs(L.collapsed) do
      if c.group == grp.name then box_lines(2, c) end
    end
    for _, n in ipairs(grp.members) do
      if not placed[n.id] then node_line(2, n); placed[n.id] = true end
    end
    line(1, "end")
  end
  for _, c in ipairs(L.collapsed) do
    if not c.group then box_lines(1, c) end
  end
  for _, n in ipairs(g.nodes) do
    if not placed[n.id] and (not L.shown or L.shown[n.id]) then node_line(1, n) end
  end
  local escalated = {}
  for i, e in ipairs(L.edges) do
    line(1, ("%s %s|\"%s\"| %s"):format(e.from, MERMAID_ARROW[e.kind], mermaid_text(e.label), e.to))
    if e.escalation then escalated[#escalated + 1] = i - 1 end
  end
  if L.omitted > 0 then
    line(1, ("omitted[\"%s\"]"):format(mermaid_text(
      ("%d more edges not shown (--max-edges %d)"):format(L.omitted, opts.max_edges or M.DEFAULT_MAX_EDGES))))
  end
  local marked = {}
  for _, n in ipairs(g.nodes) do if n.escalation then marked[#marked + 1] = n.id end end
  if #marked > 0 then
    line(1, "classDef escalation fill:#fde2e1,stroke:#c62828,stroke-width:2px")
    line(1, "class " .. table.concat(marked, ",") .. " escalation")
  end
  if #escalated > 0 then
    local idx = {}
    for i, n in ipairs(escalated) do idx[i] = tostring(n) end
    line(1, "linkStyle " .. table.concat(idx, ",") .. " stroke:#c62828,stroke-width:3px")
  end
  return table.concat(out, "\n") .. "\n"
end

local DOT_SHAPE = { role = "box", user = "box3d", group = "box3d", policy = "note", principal = "oval",
                    resource = "cylinder" }
local DOT_STYLE = { trust = "solid", passrole = "bold", reach = "dashed" }

local function dot(g, opts)
  local L = layout(g, opts)
  local out = { "digraph leastpriv {", "  rankdir=LR;", "  compound=true;",
                "  node [fontname=\"Helvetica\"];", "  edge [fontname=\"Helvetica\"];" }
  local function line(indent, s) out[#out + 1] = string.rep("  ", indent) .. s end
  local function node_line(indent, n)
    local extra = n.escalation and ", color=\"#c62828\", penwidth=2, style=filled, fillcolor=\"#fde2e1\"" or ""
    line(indent, ("%s [shape=%s, label=\"%s\"%s];"):format(n.id, DOT_SHAPE[n.kind],
      dot_text(PREFIX[n.kind] .. n.label), extra))
  end
  local placed = {}
  local function box_lines(indent, c)
    line(indent, ("subgraph cluster_%s {"):format(c.id))
    line(indent + 1, ("label=\"%s\";"):format(dot_text(("%d roles with the same trust"):format(#c.members))))
    for _, n in ipairs(c.members) do node_line(indent + 1, n); placed[n.id] = true end
    line(indent, "}")
  end
  for _, grp in ipairs(L.groups) do
    line(1, ("subgraph cluster_%s {"):format(grp.id))
    line(2, ("label=\"%s\";"):format(dot_text(grp.name)))
    for _, c in ipairs(L.collapsed) do
      if c.group == grp.name then box_lines(2, c) end
    end
    for _, n in ipairs(grp.members) do
      if not placed[n.id] then node_line(2, n); placed[n.id] = true end
    end
    line(1, "}")
  end
  for _, c in ipairs(L.collapsed) do
    if not c.group then box_lines(1, c) end
  end
  for _, n in ipairs(g.nodes) do
    if not placed[n.id] and (not L.shown or L.shown[n.id]) then node_line(1, n) end
  end
  for _, e in ipairs(L.edges) do
    local to, extra = e.to, ""
    if e.to_box then to, extra = e.to_box.members[1].id, (", lhead=cluster_%s"):format(e.to_box.id) end
    if e.escalation then extra = extra .. ", color=\"#c62828\", penwidth=3" end
    line(1, ("%s -> %s [label=\"%s\", style=%s%s];"):format(e.from, to, dot_text(e.label),
      DOT_STYLE[e.kind], extra))
  end
  if L.omitted > 0 then
    line(1, ("omitted [shape=plaintext, label=\"%s\"];"):format(dot_text(
      ("%d more edges not shown (--max-edges %d)"):format(L.omitted, opts.max_edges or M.DEFAULT_MAX_EDGES))))
  end
  line(0, "}")
  return table.concat(out, "\n") .. "\n"
end

local function as_json(g, opts)
  local L = layout(g, opts)
  local arr = core.array_mt
  local nodes, edges = {}, {}
  for i, n in ipairs(g.nodes) do
    nodes[i] = { id = n.id, kind = n.kind, label = n.label, arn = n.arn, path = n.path, group = n.group,
                 escalation = n.escalation and setmetatable(n.escalation, arr) or nil }
  end
  for i, e in ipairs(g.edges) do
    edges[i] = { from = e.from, to = e.to, kind = e.kind, label = e.label,
                 escalation = e.escalation or nil,
                 services = e.services and setmetatable(e.services, arr) or nil,
                 actions = e.actions and setmetatable(e.actions, arr) or nil }
  end
  -- JSON carries the whole graph; "omitted" says what a drawing would cut.
  return core.json_encode({ nodes = setmetatable(nodes, arr), edges = setmetatable(edges, arr),
                            omitted = L.omitted }) .. "\n"
end

M.formats = { mermaid = mermaid, dot = dot, json = as_json }

-- render(g, format, opts) -> text.  opts: group ("path" | "tag:KEY"),
-- collapse (false: keep every trust edge), max_edges.
function M.render(g, format, opts)
  local f = M.formats[format]
  if not f then error(("unknown graph format %q"):format(tostring(format)), 2) end
  return f(g, opts or {})
end

M.mermaid_text, M.dot_text = mermaid_text, dot_text

return M
