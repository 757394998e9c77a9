-- leastpriv graph: the graph as data (edges checked as data, not text),
-- its drawings (golden files), escaping of hostile names, and the options
-- that keep large sets readable.
local cli = require "support.cli"
local graph = require "leastpriv.graph"
local render = require "leastpriv.graph_render"
local inputs = require "leastpriv.inputs"
local lp = require "leastpriv"

local SAGEMAKER = { "examples/sagemaker/caller_role.lua", "examples/sagemaker/execution_role.lua" }

local function load_all(files, vars)
  local items = {}
  for _, f in ipairs(files) do
    for _, item in ipairs(inputs.load(f, vars)) do items[#items + 1] = item end
  end
  return items
end

-- The edges of g as "kind from-label -> to-label: edge-label" strings.
local function edge_set(g)
  local label = {}
  for _, n in ipairs(g.nodes) do label[n.id] = n.kind .. " " .. n.label end
  local set = {}
  for _, e in ipairs(g.edges) do
    set[#set + 1] = ("%s %s -> %s: %s"):format(e.kind, label[e.from], label[e.to], e.label)
  end
  return set
end

local function has(list, s)
  for _, x in ipairs(list) do if x == s then return true end end
  return false
end

local function read(path) return cli.read(path) end

describe("leastpriv.graph", function()
  local g = graph.build(load_all(SAGEMAKER), { account = "123456789012" })
  local edges = edge_set(g)

  it("has the caller pass the execution role to SageMaker, decided by the engine", function()
    assert.truthy(has(edges, "passrole role sagemaker-training-caller -> role sagemaker-training-execution: "
      .. "iam:PassRole to sagemaker.amazonaws.com"), table.concat(edges, "\n"))
    -- and nothing passes the caller
    for _, e in ipairs(edges) do assert.falsy(e:match("^passrole role sagemaker%-training%-execution")) end
  end)

  it("has SageMaker assume the execution role under its trust conditions", function()
    assert.truthy(has(edges, "trust principal service: sagemaker.amazonaws.com -> role "
      .. "sagemaker-training-execution: AssumeRole if aws:SourceArn like "
      .. "arn:aws:sagemaker:us-east-1:123456789012:training-job/* and aws:SourceAccount = 123456789012"))
    assert.truthy(has(edges, "trust principal arn:aws:iam::123456789012:role/ml-engineers -> role "
      .. "sagemaker-training-caller: AssumeRole"))
  end)

  it("has the execution role reach its buckets' prefixes and nothing of the caller's", function()
    assert.truthy(has(edges, "reach role sagemaker-training-execution -> resource "
      .. "arn:aws:s3:::my-ml-training-data/experiments/input/*: s3: GetObject"))
    assert.truthy(has(edges, "reach role sagemaker-training-execution -> resource "
      .. "arn:aws:s3:::my-ml-training-data/experiments/output/*: s3: PutObject"))
    assert.truthy(has(edges, "reach role sagemaker-training-execution -> resource "
      .. "arn:aws:s3:::my-ml-training-data: s3: ListBucket (if conditions hold)"))
    for _, e in ipairs(edges) do
      if e:match("^reach role sagemaker%-training%-caller") then assert.falsy(e:match("s3:")) end
    end
  end)

  it("reach is what lp.grants lists, every grant on one edge", function()
    local count, grants = 0, 0
    for _, e in ipairs(g.edges) do if e.kind == "reach" then count = count + #e.actions end end
    for _, item in ipairs(load_all(SAGEMAKER)) do
      for _, gr in ipairs(lp.grants(item)) do
        if gr.action ~= "iam:PassRole" then grants = grants + 1 end   -- drawn as passrole edges
      end
    end
    assert.equal(grants, count)
  end)

  it("draws no passrole edge where the engine denies it (another service, another role)", function()
    local items = load_all(SAGEMAKER)
    -- the execution role trusts lambda instead: the caller's condition names sagemaker only
    items[2].trust = lp.trust.service("lambda.amazonaws.com")
    local g2 = graph.build(items, { account = "123456789012" })
    for _, e in ipairs(g2.edges) do assert.is_not.equal("passrole", e.kind) end
  end)

  it("names roles by their ARN when the input has one (account dumps)", function()
    local g3 = graph.build(load_all({ "spec/fixtures/check/account.json" }))
    local set = edge_set(g3)
    assert.truthy(has(set, "passrole role caller -> role trainer: iam:PassRole to sagemaker.amazonaws.com"),
      table.concat(set, "\n"))
    assert.truthy(has(set, "passrole user alice -> role trainer: iam:PassRole to any service"))
  end)

  it("marks the roles check reports an escalation path for, and the PassRole edges leaving them", function()
    local g3 = graph.build(load_all({ "spec/fixtures/check/account.json" }))
    local marked = {}
    for _, n in ipairs(g3.nodes) do if n.escalation then marked[#marked + 1] = n.label end end
    assert.same({ "alice" }, marked)
    for _, e in ipairs(g3.edges) do
      if e.kind == "passrole" then
        local from
        for _, n in ipairs(g3.nodes) do if n.id == e.from then from = n.label end end
        assert.equal(from == "alice", e.escalation)
      end
    end
  end)

  it("is deterministic: the same inputs give the same ids and order", function()
    local again = graph.build(load_all(SAGEMAKER), { account = "123456789012" })
    assert.equal(render.render(g, "mermaid"), render.render(again, "mermaid"))
    local reversed = graph.build(load_all({ SAGEMAKER[2], SAGEMAKER[1] }), { account = "123456789012" })
    assert.equal(render.render(g, "json"), render.render(reversed, "json"))
  end)
end)

describe("leastpriv.graph_render", function()
  it("draws the SageMaker pair as the golden Mermaid and DOT files", function()
    local g = graph.build(load_all(SAGEMAKER), { account = "123456789012" })
    assert.equal(read("spec/fixtures/graph/sagemaker.mmd"), render.render(g, "mermaid"))
    assert.equal(read("spec/fixtures/graph/sagemaker.dot"), render.render(g, "dot"))
  end)

  it("escapes hostile names: no label ends early, no markup, no new line of diagram", function()
    local g = graph.build(load_all({ "spec/fixtures/graph/hostile_dump.json" }))
    local text = render.render(g, "mermaid")
    assert.equal(read("spec/fixtures/graph/hostile_dump.mmd"), text)
    for line in text:gmatch("[^\n]+") do
      -- every line is a node, an edge, a class or style line: nothing the data wrote
      assert.truthy(line:match("^flowchart LR$") or line:match("^  n%d+[%[%(]") or
        line:match("^  n%d+ [%-=.]+>|\"") or line:match("^  classDef ") or line:match("^  class ") or
        line:match("^  linkStyle "), line)
      assert.falsy(line:find("<", 1, true), line)
      assert.falsy(line:find("`", 1, true), line)
    end
    -- each quoted label holds no raw quote
    for label in text:gmatch('"([^"]*)"') do assert.falsy(label:find("\n")) end
    local dot = render.render(g, "dot")
    assert.falsy(dot:find('evil"]', 1, true))
    assert.truthy(dot:find('evil\\"]', 1, true))
  end)

  it("groups roles by path or tag", function()
    local items = {
      lp.role { name = "a", path = "/ml/", trust = lp.trust.service("sagemaker.amazonaws.com"),
                tags = { team = "ml" } },
      lp.role { name = "b", path = "/web/", trust = lp.trust.service("lambda.amazonaws.com"),
                tags = { team = "web" } },
    }
    local g = graph.build(items, { account = "123456789012" })
    local by_path = render.render(g, "mermaid", { group = "path" })
    assert.matches('subgraph g1%["/ml/"%]\n    n%d+%["role: a"%]\n  end', by_path)
    assert.matches('subgraph g2%["/web/"%]\n    n%d+%["role: b"%]\n  end', by_path)
    local by_tag = render.render(g, "mermaid", { group = "tag:team" })
    assert.matches('subgraph g1%["team=ml"%]', by_tag)
    local dot = render.render(g, "dot", { group = "path" })
    assert.matches('subgraph cluster_g1 {\n    label="/ml/";', dot)
  end)

  it("collapses roles with the same trust into one box that the trust edge reaches once", function()
    local items = {}
    for i = 1, 3 do
      items[i] = lp.role { name = "worker-" .. i, trust = lp.trust.service("ecs-tasks.amazonaws.com") }
    end
    local g = graph.build(items, { account = "123456789012" })
    local text = render.render(g, "mermaid")
    assert.matches('subgraph t1%["3 roles with the same trust"%]', text)
    local _, arrows = text:gsub(" %-%->|", "")
    assert.equal(1, arrows)
    local full = render.render(g, "mermaid", { collapse = false })
    local _, all = full:gsub(" %-%->|", "")
    assert.equal(3, all)
    assert.matches("lhead=cluster_t1", render.render(g, "dot"))
  end)

  it("caps the edges drawn and says how many were left out", function()
    local g = graph.build(load_all(SAGEMAKER), { account = "123456789012" })
    local text = render.render(g, "mermaid", { max_edges = 3 })
    local _, drawn = text:gsub("|\"", "")
    assert.equal(3, drawn)
    assert.matches(("%d more edges not shown %%(%%-%%-max%%-edges 3%%)"):format(#g.edges - 3), text)
    -- trust edges are kept first
    assert.matches("n1 %-%->|", text)
    local json = require("leastpriv.core").json_decode(render.render(g, "json", { max_edges = 3 }))
    assert.equal(#g.edges - 3, json.omitted)
    assert.equal(#g.edges, #json.edges)
  end)
end)

describe("leastpriv graph (command)", function()
  it("prints Mermaid by default", function()
    local code, out, err = cli.run({ "graph", SAGEMAKER[1], SAGEMAKER[2], "--account", "123456789012" })
    assert.equal(0, code, err)
    assert.equal(read("spec/fixtures/graph/sagemaker.mmd"), out)
  end)

  it("prints DOT and JSON", function()
    local code, out = cli.run({ "graph", SAGEMAKER[1], SAGEMAKER[2], "--account", "123456789012", "-f", "dot" })
    assert.equal(0, code)
    assert.equal(read("spec/fixtures/graph/sagemaker.dot"), out)
    code, out = cli.run({ "graph", SAGEMAKER[1], SAGEMAKER[2], "--account", "123456789012", "-f", "json" })
    assert.equal(0, code)
    local g = require("leastpriv.core").json_decode(out)
    assert.truthy(#g.nodes > 0 and #g.edges > 0)
  end)

  it("refuses bad options and inputs with one line and exit 2", function()
    local cases = {
      { { "graph" }, "name at least one file" },
      { { "graph", SAGEMAKER[1], "--account", "123" }, "12%-digit" },
      { { "graph", SAGEMAKER[1], "--group", "team" }, "path or tag:KEY" },
      { { "graph", SAGEMAKER[1], "--max-edges", "x" }, "whole number" },
      { { "graph", SAGEMAKER[1], "--format", "png" }, "must be one of" },
      { { "graph", "spec/fixtures/graph/missing.json" }, "missing%.json" },
      { { "graph", "examples/sagemaker/seed_module.lua" }, "bucket_name" },
    }
    for _, c in ipairs(cases) do
      local code, out, err = cli.run(c[1])
      assert.equal(2, code, table.concat(c[1], " "))
      assert.equal("", out)
      assert.matches(c[2], err)
      assert.equal(1, select(2, err:gsub("\n", "")), err)
    end
  end)

  it("has --help listing every option and the exit status", function()
    local code, out = cli.run({ "graph", "--help" })
    assert.equal(0, code)
    for _, o in ipairs({ "--format", "--account", "--group", "--no-collapse", "--max-edges", "--set" }) do
      assert.matches(o, out, 1, true)
    end
    assert.matches("Exit status", out, 1, true)
  end)

  it("renders with Graphviz where dot is installed", function()
    local found = os.execute("command -v dot >/dev/null 2>&1")
    if found ~= true and found ~= 0 then
      return pending("Graphviz dot not found: DOT output not rendered")
    end
    local p = io.popen("dot -Tsvg spec/fixtures/graph/sagemaker.dot 2>&1 >/dev/null; echo \"exit:$?\"")
    local out = p:read("*a")
    p:close()
    assert.matches("exit:0", out)
  end)
end)
