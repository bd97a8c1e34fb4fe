// Keel's own version, read once from package.json (kept out of core/index.ts: code bundled into a data: URL, as a
// shadow worker is, has no package.json beside it).

import fs from 'node:fs';

export const KEEL_VERSION: string = (
  JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
