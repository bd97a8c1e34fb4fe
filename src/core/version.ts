// Keel's own version, read once from package.json.

import fs from 'node:fs';

export const KEEL_VERSION: string = (
  JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
