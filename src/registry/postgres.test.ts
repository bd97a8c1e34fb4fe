// The registry on the real PostgreSQL store.

import { openPostgres, openStore } from '../track/index.ts';
import { PG_URL, testSchema } from '../track/pg-test-env.ts';
import { registrySuite } from './registry-suite.ts';

const schema = testSchema('registry');
registrySuite(
  'PostgreSQL',
  () => openStore({ home: `/tmp/keel-pg-${schema}`, url: PG_URL, schema }),
  async () => {
    const db = await openPostgres({ url: PG_URL });
    await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.close();
  },
);
