-- luacheck configuration (make lint).
std = "lua54"
max_line_length = 130
codes = true
exclude_files = {
  "build/", "out/", "**/node_modules/",
  "spec/fixtures/scripts/syntax_error.lua",   -- a deliberate syntax error
}
-- specs run on every Lua version (issue: portability): allow the 5.1 names
files["spec/"] = { std = "+busted", read_globals = { "unpack" } }
files["bench/"] = { read_globals = { "unpack" } }
