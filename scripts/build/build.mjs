#!/usr/bin/env node
// Builds the package: compiles src/ to dist/ (JavaScript and declarations) and copies the plain-JavaScript modules
// the compiled code loads (worker threads' kernels); the source-only shims that register the TypeScript loader stay
// out. Written to a fresh folder and swapped in, so a failed build leaves the previous dist/ whole.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const out = path.join(root, 'dist');
const next = path.join(root, '.dist-next');
fs.rmSync(next, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', next], {
  cwd: root,
  stdio: 'inherit',
});
if (res.status !== 0) {
  fs.rmSync(next, { recursive: true, force: true });
  console.error('build: tsc failed; dist/ left as it was');
  process.exit(res.status ?? 1);
}

let copied = 0;
function copyPlain(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) copyPlain(p);
    else if (e.name.endsWith('.mjs')) {
      const text = fs.readFileSync(p, 'utf8');
      if (text.includes("from 'tsx")) continue; // a loader shim: source only
      const to = path.join(next, path.relative(path.join(root, 'src'), p));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, text);
      copied++;
    }
  }
}
copyPlain(path.join(root, 'src'));

fs.writeFileSync(path.join(next, '.built'), `${new Date().toISOString()}\n`);
fs.rmSync(out, { recursive: true, force: true });
fs.renameSync(next, out);
console.error(`build: dist/ compiled (${copied} plain modules copied)`);
