// bench/expand_peer.mjs: throughput of @cloud-copilot/iam-expand on the
// patterns given (run by bench/expand_peer.sh; the package lives in
// bench/peers/node_modules).  Medians of several timed runs of a fixed
// number of calls each.  Prints "PEER\tpattern\tops/s\tactions".
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'peers', 'package.json'));
const { expandIamActions } = await import(pathToFileURL(
  require.resolve('@cloud-copilot/iam-expand')).href);

const args = process.argv.slice(2);
const quick = args[0] === '--quick';
const patterns = quick ? args.slice(1) : args;
const runs = quick ? 3 : 7;
const opts = { expandAsterisk: true };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

for (const p of patterns) {
  const first = await expandIamActions(p, opts);     // warm the peer's caches
  const count = new Set(first).size;
  let iters = Math.max(5, Math.floor(20000 / (count + 10)));
  if (quick) iters = Math.max(3, Math.floor(iters / 5));
  for (let i = 0; i < iters; i++) await expandIamActions(p, opts);   // warm up the JIT
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) await expandIamActions(p, opts);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    samples.push(iters / secs);
  }
  process.stdout.write(`PEER\t${p}\t${median(samples)}\t${count}\n`);
}
