-- Generated from leastpriv-scm-1.rockspec by tools/release-rockspec.lua: do not edit.
rockspec_format = "3.0"
package = "leastpriv"
version = "0.1.0-1"

source = {
  url = "https://github.com/leastpriv/leastpriv/archive/refs/tags/v0.1.0.tar.gz",
  dir = "leastpriv-0.1.0",
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
        "csrc/catalog_arnindex.c",
        "csrc/catalog_data.c",
        "csrc/catalog_owned.c",
        "csrc/condition.c",
        "csrc/core.c",
        "csrc/eval.c",
        "csrc/eval_rules.c",
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
        "csrc/sandbox.c",
        "csrc/term.c",
        "csrc/utf8.c",
        "csrc/validate.c",
        "csrc/validate_catalog.c",
        "csrc/validate_cond.c",
        "csrc/validate_context.c",
        "csrc/validate_idioms.c",
        "csrc/validate_principal.c",
        "csrc/validate_required.c",
        "csrc/validate_resource.c",
        "csrc/validate_endpoint.c",
        "csrc/validate_security.c",
        "csrc/validate_trust.c",
        "csrc/variables.c",
      },
      incdirs = { "csrc" },
      defines = {},
    },
    ["leastpriv"] = "lua/leastpriv/init.lua",
    ["leastpriv.analysis"] = "lua/leastpriv/analysis.lua",
    ["leastpriv.analysis.counterexample"] = "lua/leastpriv/analysis/counterexample.lua",
    ["leastpriv.analysis.diff"] = "lua/leastpriv/analysis/diff.lua",
    ["leastpriv.analysis.implies"] = "lua/leastpriv/analysis/implies.lua",
    ["leastpriv.busted"] = "lua/leastpriv/busted.lua",
    ["leastpriv.blueprints.sagemaker"] = "lua/leastpriv/blueprints/sagemaker.lua",
    ["leastpriv.catalog"] = "lua/leastpriv/catalog.lua",
    ["leastpriv.check.account"] = "lua/leastpriv/check/account.lua",
    ["leastpriv.check.account_stream"] = "lua/leastpriv/check/account_stream.lua",
    ["leastpriv.check.checks"] = "lua/leastpriv/check/checks.lua",
    ["leastpriv.check.access_analyzer"] = "lua/leastpriv/check/access_analyzer.lua",
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
    ["leastpriv.denied"] = "lua/leastpriv/denied.lua",
    ["leastpriv.check.tf_source"] = "lua/leastpriv/check/tf_source.lua",
    ["leastpriv.cli"] = "lua/leastpriv/cli.lua",
    ["leastpriv.cli.actions"] = "lua/leastpriv/cli/actions.lua",
    ["leastpriv.cli.args"] = "lua/leastpriv/cli/args.lua",
    ["leastpriv.cli.can"] = "lua/leastpriv/cli/can.lua",
    ["leastpriv.cli.check"] = "lua/leastpriv/cli/check.lua",
    ["leastpriv.cli.describe"] = "lua/leastpriv/cli/describe.lua",
    ["leastpriv.cli.diff"] = "lua/leastpriv/cli/diff.lua",
    ["leastpriv.cli.expand"] = "lua/leastpriv/cli/expand.lua",
    ["leastpriv.cli.explain_denied"] = "lua/leastpriv/cli/explain_denied.lua",
    ["leastpriv.cli.graph"] = "lua/leastpriv/cli/graph.lua",
    ["leastpriv.cli.paths"] = "lua/leastpriv/cli/paths.lua",
    ["leastpriv.cli.minimize"] = "lua/leastpriv/cli/minimize.lua",
    ["leastpriv.cli.import"] = "lua/leastpriv/cli/import.lua",
    ["leastpriv.cli.overgrant"] = "lua/leastpriv/cli/overgrant.lua",
    ["leastpriv.cli.preflight"] = "lua/leastpriv/cli/preflight.lua",
    ["leastpriv.cli.render"] = "lua/leastpriv/cli/render.lua",
    ["leastpriv.cli.roles_for"] = "lua/leastpriv/cli/roles_for.lua",
    ["leastpriv.cli.simulate"] = "lua/leastpriv/cli/simulate.lua",
    ["leastpriv.discover"] = "lua/leastpriv/discover.lua",
    ["leastpriv.errors"] = "lua/leastpriv/errors.lua",
    ["leastpriv.escape"] = "lua/leastpriv/escape.lua",
    ["leastpriv.files"] = "lua/leastpriv/files.lua",
    ["leastpriv.gitrev"] = "lua/leastpriv/gitrev.lua",
    ["leastpriv.luawrite"] = "lua/leastpriv/luawrite.lua",
    ["leastpriv.grant"] = "lua/leastpriv/grant.lua",
    ["leastpriv.graph"] = "lua/leastpriv/graph.lua",
    ["leastpriv.graph_render"] = "lua/leastpriv/graph_render.lua",
    ["leastpriv.hcl"] = "lua/leastpriv/hcl.lua",
    ["leastpriv.inputs"] = "lua/leastpriv/inputs.lua",
    ["leastpriv.import"] = "lua/leastpriv/import.lua",
    ["leastpriv.jobs"] = "lua/leastpriv/jobs.lua",
    ["leastpriv.markdown"] = "lua/leastpriv/markdown.lua",
    ["leastpriv.operators"] = "lua/leastpriv/operators.lua",
    ["leastpriv.pattern"] = "lua/leastpriv/pattern.lua",
    ["leastpriv.policy"] = "lua/leastpriv/policy.lua",
    ["leastpriv.preflight"] = "lua/leastpriv/preflight.lua",
    ["leastpriv.progress"] = "lua/leastpriv/progress.lua",
    ["leastpriv.render"] = "lua/leastpriv/render.lua",
    ["leastpriv.role"] = "lua/leastpriv/role.lua",
    ["leastpriv.sandbox"] = "lua/leastpriv/sandbox.lua",
    ["leastpriv.scope"] = "lua/leastpriv/scope.lua",
    ["leastpriv.script"] = "lua/leastpriv/script.lua",
    ["leastpriv.script_harness"] = "lua/leastpriv/script_harness.lua",
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
