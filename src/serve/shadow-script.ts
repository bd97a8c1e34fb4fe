// Where a shadow worker's code comes from: shadow-worker-main.ts and the inference code it imports, bundled once per
// process into one ES module (esbuild, the TypeScript loader's own compiler), so a worker starts by compiling one
// script (~65 ms of CPU) instead of booting the TypeScript loader in its thread (~500 ms) — a shadow that must be
// replaced costs the primary's machine little. Where bundling is impossible the worker boots the loader instead.
// Compiled Keel (dist/) needs neither: the worker loads the compiled modules.

import { createRequire } from 'node:module';
import { isSource, workerEntry } from '../core/index.ts';

type BuildSync = (o: object) => { outputFiles: { text: string }[] };

let bundled: URL | null | undefined;

/** The module a shadow worker runs: the bundle as a data: URL, or the loader-booting entry if bundling failed. */
export function shadowWorkerUrl(): URL {
  // compiled, the worker loads the compiled modules directly: no loader, nothing to bundle
  if (!isSource(import.meta.url)) return workerEntry(import.meta.url, 'shadow-worker');
  if (bundled === undefined) bundled = bundle();
  return bundled ?? workerEntry(import.meta.url, 'shadow-worker');
}

function bundle(): URL | null {
  const entry = new URL('./shadow-worker-main.ts', import.meta.url);
  if (entry.protocol !== 'file:') return null;
  try {
    const { buildSync } = createRequire(import.meta.url)('esbuild') as { buildSync: BuildSync };
    const out = buildSync({
      entryPoints: [entry.pathname],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // the worker imports Node's own modules only; anything else stays a bare import, which a data: URL cannot
      // resolve — then the worker fails to start and reports why, like any failing shadow
      packages: 'external',
      logLevel: 'silent',
    });
    const code = out.outputFiles[0].text;
    return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  } catch {
    return null;
  }
}
