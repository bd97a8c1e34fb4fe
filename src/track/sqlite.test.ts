// The RunStore contract on the embedded SQLite backend.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runStoreContract } from './contract-suite.ts';
import { openStore } from './index.ts';

runStoreContract('SQLite', () => openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-sqlite-')) }));
