// The registry on the embedded SQLite store.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../track/index.ts';
import { registrySuite } from './registry-suite.ts';

registrySuite('SQLite', () => openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-reg-')) }));
