// keel/auth: an identity with a role in one project, a token narrowed to it, and the audit log's hash chain.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuthStore, can } from 'keel/auth';
import { openStore } from 'keel/track';

const store = await openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-auth-')) });
const auth = await AuthStore.open(store.sql);
await auth.addIdentity('dana', { by: 'example', roles: { fraud: 'maintainer' } });
const { token } = await auth.createToken('dana', { by: 'example', days: 7, note: 'release script' });
const dana = await auth.authenticate(token);
if (!dana) throw new Error('the fresh token should authenticate');
console.log(`dana may promote in fraud: ${can(dana, 'model.promote', 'fraud')}, in churn: ${can(dana, 'model.promote', 'churn')}`);
const check = await auth.audit.verify();
console.log(`audit log: ${check.entries} entries, ${check.problems.length} problems`);
await store.close();
