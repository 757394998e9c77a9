rockspec_format = "3.0"
package = "leastpriv"
version = "scm-1"

source = {
  url = "git+https://github.com/leastpriv/leastpriv.git",
}

description = {
  summary = "AWS IAM policy-as-code for Lua, with a C core",
  detailed = [[
Write each IAM role as a short Lua script scoped to exactly what a workload
touches; check it offline against the full AWS action catalog, simulate
requests against it, and render it as IAM JSON or Terraform HCL.]],
  license = "MIT",
  homepage = "https://github.com/leastpriv/leastpriv",
  labels = { "aws", "iam", "security", "terraform" },
}

dependencies = {
  "lua >= 5.1, < 5.5",
}

-- Only the specs use lua-cjson (and busted runs them).  Where Debian's
-- packages provide both, rockspec/debian-provided.lua tells luarocks so.
test_dependencies = {
  "lua-cjson",
  "busted",
}

build = {
  type = "builtin",
  modules = {
    ["leastpriv.core"] = {
      sources = {
        "csrc/arn.c",
        "csrc/catalog.c",
        "csrc/catalog_data.c",
        "csrc/condition.c",
        "csrc/core.c",
        "csrc/eval.c",
        "csrc/fs.c",
        "csrc/glob.c",
        "csrc/hcl.c",
        "csrc/hcl_read.c",
        "csrc/json_locate.c",
        "csrc/json_stream.c",
        "csrc/json_read.c",
        "csrc/json_write.c",
        "csrc/path.c",
        "csrc/policy.c",
        "csrc/term.c",
        "csrc/utf8.c",
        "csrc/validate.c",
        "csrc/validate_catalog.c",
        "csrc/validate_cond.c",
        "csrc/validate_context.c",
        "csrc/validate_security.c",
        "csrc/variables.c",
      },
      incdirs = { "csrc" },
      defines = {},
    },
    ["leastpriv"] = "lua/leastpriv/init.lua",
    ["leastpriv.analysis"] = "lua/leastpriv/analysis.lua",
    ["leastpriv.busted"] = "lua/leastpriv/busted.lua",
    ["leastpriv.blueprints.sagemaker"] = "lua/leastpriv/blueprints/sagemaker.lua",
    ["leastpriv.catalog"] = "lua/leastpriv/catalog.lua",
    ["leastpriv.check.account"] = "lua/leastpriv/check/account.lua",
    ["leastpriv.check.account_stream"] = "lua/leastpriv/check/account_stream.lua",
    ["leastpriv.check.checks"] = "lua/leastpriv/check/checks.lua",
    ["leastpriv.check.config"] = "lua/leastpriv/check/config.lua",
    ["leastpriv.check.engine"] = "lua/leastpriv/check/engine.lua",
    ["leastpriv.check.inputs"] = "lua/leastpriv/check/inputs.lua",
    ["leastpriv.check.markdown"] = "lua/leastpriv/check/markdown.lua",
    ["leastpriv.check.output"] = "lua/leastpriv/check/output.lua",
    ["leastpriv.check.sarif"] = "lua/leastpriv/check/sarif.lua",
    ["leastpriv.check.resource_policy"] = "lua/leastpriv/check/resource_policy.lua",
    ["leastpriv.check.roles"] = "lua/leastpriv/check/roles.lua",
    ["leastpriv.check.script"] = "lua/leastpriv/check/script.lua",
    ["leastpriv.check.terraform"] = "lua/leastpriv/check/terraform.lua",
    ["leastpriv.check.tf_source"] = "lua/leastpriv/check/tf_source.lua",
    ["leastpriv.cli"] = "lua/leastpriv/cli.lua",
    ["leastpriv.cli.actions"] = "lua/leastpriv/cli/actions.lua",
    ["leastpriv.cli.args"] = "lua/leastpriv/cli/args.lua",
    ["leastpriv.cli.can"] = "lua/leastpriv/cli/can.lua",
    ["leastpriv.cli.check"] = "lua/leastpriv/cli/check.lua",
    ["leastpriv.cli.describe"] = "lua/leastpriv/cli/describe.lua",
    ["leastpriv.cli.diff"] = "lua/leastpriv/cli/diff.lua",
    ["leastpriv.cli.expand"] = "lua/leastpriv/cli/expand.lua",
    ["leastpriv.cli.graph"] = "lua/leastpriv/cli/graph.lua",
    ["leastpriv.cli.paths"] = "lua/leastpriv/cli/paths.lua",
    ["leastpriv.cli.minimize"] = "lua/leastpriv/cli/minimize.lua",
    ["leastpriv.cli.overgrant"] = "lua/leastpriv/cli/overgrant.lua",
    ["leastpriv.cli.render"] = "lua/leastpriv/cli/render.lua",
    ["leastpriv.cli.simulate"] = "lua/leastpriv/cli/simulate.lua",
    ["leastpriv.errors"] = "lua/leastpriv/errors.lua",
    ["leastpriv.escape"] = "lua/leastpriv/escape.lua",
    ["leastpriv.files"] = "lua/leastpriv/files.lua",
    ["leastpriv.grant"] = "lua/leastpriv/grant.lua",
    ["leastpriv.graph"] = "lua/leastpriv/graph.lua",
    ["leastpriv.graph_render"] = "lua/leastpriv/graph_render.lua",
    ["leastpriv.hcl"] = "lua/leastpriv/hcl.lua",
    ["leastpriv.inputs"] = "lua/leastpriv/inputs.lua",
    ["leastpriv.markdown"] = "lua/leastpriv/markdown.lua",
    ["leastpriv.operators"] = "lua/leastpriv/operators.lua",
    ["leastpriv.policy"] = "lua/leastpriv/policy.lua",
    ["leastpriv.progress"] = "lua/leastpriv/progress.lua",
    ["leastpriv.render"] = "lua/leastpriv/render.lua",
    ["leastpriv.role"] = "lua/leastpriv/role.lua",
    ["leastpriv.scope"] = "lua/leastpriv/scope.lua",
    ["leastpriv.script"] = "lua/leastpriv/script.lua",
    ["leastpriv.simulate"] = "lua/leastpriv/simulate.lua",
    ["leastpriv.statement"] = "lua/leastpriv/statement.lua",
    ["leastpriv.strict"] = "lua/leastpriv/strict.lua",
    ["leastpriv.template"] = "lua/leastpriv/template.lua",
    ["leastpriv.terraform"] = "lua/leastpriv/terraform.lua",
    ["leastpriv.tf.eval"] = "lua/leastpriv/tf/eval.lua",
    ["leastpriv.tf.functions"] = "lua/leastpriv/tf/functions.lua",
    ["leastpriv.tf.module"] = "lua/leastpriv/tf/module.lua",
    ["leastpriv.tf.policy_document"] = "lua/leastpriv/tf/policy_document.lua",
    ["leastpriv.tf.values"] = "lua/leastpriv/tf/values.lua",
    ["leastpriv.trust"] = "lua/leastpriv/trust.lua",
    ["leastpriv.util"] = "lua/leastpriv/util.lua",
    ["leastpriv.validate"] = "lua/leastpriv/validate.lua",
  },
  install = {
    bin = { leastpriv = "bin/leastpriv" },
  },
}

-- `luarocks test [-- SPEC...]` builds the core for luarocks's Lua and runs
-- the busted suite with it (tools/luarocks-test.lua).
test = {
  type = "command",
  script = "tools/luarocks-test.lua",
}
