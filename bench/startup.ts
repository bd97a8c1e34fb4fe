// CLI startup: `keel --version` and `keel help train` through the compiled bin, each in a fresh process, against a
// bare `node -e 0` in the same run (the floor no CLI can go under). Medians of 21; run `npm run build` first.
// usage: npx tsx bench/startup.ts [--repeats 21]

import { spawnSync } from 'node:child_process';
import path from 'node:path';

const i = process.argv.indexOf('--repeats');
const REPEATS = i >= 0 ? Number(process.argv[i + 1]) : 21;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(root, 'bin/keel.mjs');

function median(args: string[]): number {
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
    times.push(performance.now() - t0);
    if (res.status !== 0) throw new Error(`${args.join(' ')} exited ${res.status}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const floor = median(['-e', '0']);
const version = median([bin, '--version']);
const help = median([bin, 'help', 'train']);
console.log(JSON.stringify({ repeats: REPEATS, node_ms: floor, version_ms: version, help_train_ms: help }));
console.log(
  `node -e 0 ${floor.toFixed(0)} ms; keel --version ${version.toFixed(0)} ms (+${(version - floor).toFixed(0)} ms); keel help train ${help.toFixed(0)} ms (medians of ${REPEATS})`,
);
