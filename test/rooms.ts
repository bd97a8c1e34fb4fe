// The rooms of src/ and who may import whom (DESIGN.md), shared by the architecture and error-catalog tests.

import fs from 'node:fs';
import path from 'node:path';

export const SRC = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../src');

/** Who may import whom (core is open to every room). */
export const ALLOWED: Record<string, string[] | '*'> = {
  core: [],
  data: ['core'],
  estimator: ['core', 'data'],
  transform: ['core', 'data', 'estimator'],
  models: ['core', 'data', 'estimator'],
  evaluate: ['core', 'data', 'estimator'],
  tune: ['core'],
  track: ['core'],
  registry: ['core', 'estimator', 'track'],
  monitor: ['core', 'data'],
  cost: ['core'],
  flow: [
    'core',
    'data',
    'estimator',
    'transform',
    'models',
    'evaluate',
    'tune',
    'track',
    'registry',
    'monitor',
    'cost',
  ],
  auth: ['core'],
  serve: ['core', 'registry', 'estimator', 'transform', 'models', 'data', 'monitor', 'cost', 'auth'],
  api: [
    'core',
    'data',
    'estimator',
    'transform',
    'models',
    'evaluate',
    'tune',
    'track',
    'registry',
    'monitor',
    'cost',
    'flow',
    'auth',
    'serve',
  ],
  cli: '*',
};
/** the library's front door (the package root) may use what the platform API uses: every room but the command line */
ALLOWED.lib = ALLOWED.api;
export function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

export function roomOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0];
}
