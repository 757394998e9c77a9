std = "lua54"
max_line_length = 100
codes = true
exclude_files = { "build/", "out/", "**/node_modules/" }
files["spec/"] = { std = "+busted" }
files["bench/"] = { globals = {} }
