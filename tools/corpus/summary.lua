-- summary.lua FINDINGS_JSON DOCS_DIR: prints, as Markdown, what `make corpus`
-- found: the findings per code (severity, count, documents) and every
-- error-level finding in full (file, path, message), so that each one can
-- be judged against the Service Authorization Reference.
local lp = require "leastpriv"

local findings_file, docs_dir = arg[1], arg[2]
if not findings_file or not docs_dir then
  io.stderr:write("usage: lua summary.lua FINDINGS_JSON DOCS_DIR\n")
  os.exit(2)
end

local function read(path)
  local f, err = io.open(path, "rb")
  if not f then io.stderr:write("summary.lua: ", err, "\n") os.exit(2) end
  local text = f:read("a") or f:read("*a")
  f:close()
  return text
end

local report, err = lp.load_json(read(findings_file))
if not report then io.stderr:write("summary.lua: ", findings_file, ": ", err, "\n") os.exit(2) end

local rank = { error = 1, security = 2, warning = 3, suggestion = 4 }
local per_code, codes, documents = {}, {}, {}
local n_docs_with = 0
for _, f in ipairs(report.findings) do
  local name = f.file:match("([^/]+)%.json$") or f.file
  if not documents[name] then documents[name] = true n_docs_with = n_docs_with + 1 end
  local c = per_code[f.code]
  if not c then
    c = { code = f.code, severity = f.severity, count = 0, docs = {}, n_docs = 0, items = {} }
    per_code[f.code] = c
    codes[#codes + 1] = c
  end
  c.count = c.count + 1
  if not c.docs[name] then c.docs[name] = true c.n_docs = c.n_docs + 1 end
  c.items[#c.items + 1] = { doc = name, path = f.path or "", message = f.message }
end
table.sort(codes, function(a, b)
  if rank[a.severity] ~= rank[b.severity] then return rank[a.severity] < rank[b.severity] end
  if a.count ~= b.count then return a.count > b.count end
  return a.code < b.code
end)

local n_files = 0
local ls = io.popen('ls "' .. docs_dir .. '"')
for line in ls:lines() do if line:match("%.json$") then n_files = n_files + 1 end end
ls:close()

local v = lp.catalog.version()
print(("Catalog: %s %s. Documents: %d; with at least one finding: %d; findings: %d."):format(
  v.source, v.version, n_files, n_docs_with, #report.findings))
print()
print("| severity | code | findings | documents |")
print("|---|---|---:|---:|")
for _, c in ipairs(codes) do
  print(("| %s | `%s` | %d | %d |"):format(c.severity, c.code, c.count, c.n_docs))
end
print()
print("Every error-level finding:")
print()
for _, c in ipairs(codes) do
  if c.severity == "error" and c.code ~= "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA" then
    table.sort(c.items, function(a, b)
      if a.doc ~= b.doc then return a.doc < b.doc end
      return a.path < b.path
    end)
    for _, it in ipairs(c.items) do
      print(("- `%s` %s `%s`: %s"):format(c.code, it.doc, it.path, it.message))
    end
  end
end
