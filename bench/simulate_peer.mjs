// bench/simulate_peer.mjs: runs simulations through
// @cloud-copilot/iam-simulate (installed by bench/simulate_peer.sh into
// bench/peers/node_modules; AGPL, only run, never copied).
//   node bench/simulate_peer.mjs decide FILE   one line per case: Allowed,
//                                              ExplicitlyDenied, ImplicitlyDenied or "error: ..."
//   node bench/simulate_peer.mjs bench FILE    "PEER<TAB>requests per second" (median of runs)
// FILE is JSON: { "cases": [ Simulation, ... ] } as iam-simulate takes them.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'peers', 'package.json'));
const { runSimulation } = await import(pathToFileURL(
  require.resolve('@cloud-copilot/iam-simulate')).href);

const [mode, file, quickArg] = process.argv.slice(2);
const { cases } = JSON.parse(fs.readFileSync(file, 'utf8'));

async function decide(sim) {
  try {
    const r = await runSimulation(sim, {});
    if (r.resultType === 'error') return 'error: ' + JSON.stringify(r.errors).slice(0, 300);
    return r.overallResult;
  } catch (e) {
    return 'error: ' + String(e && e.message || e).replace(/\s+/g, ' ').slice(0, 300);
  }
}

if (mode === 'decide') {
  const out = [];
  for (const c of cases) out.push(await decide(c));
  process.stdout.write(out.join('\n') + '\n');
} else if (mode === 'bench') {
  const runs = quickArg === '--quick' ? 3 : 5;
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  for (const c of cases) await decide(c);            // warm up
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    let n = 0;
    while (Number(process.hrtime.bigint() - t0) < 3e8) {
      for (const c of cases) { await decide(c); n++; }
    }
    samples.push(n / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  process.stdout.write(`PEER\t${median(samples)}\n`);
} else {
  process.stderr.write('usage: simulate_peer.mjs decide|bench FILE\n');
  process.exit(2);
}
