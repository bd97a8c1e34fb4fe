// The RunStore contract on the real PostgreSQL at 127.0.0.1:5432 (database test), in a schema of its own.

import { runStoreContract } from './contract-suite.ts';
import { openPostgres, openStore } from './index.ts';
import { PG_URL, testSchema } from './pg-test-env.ts';

const schema = testSchema('contract');
runStoreContract(
  'PostgreSQL',
  () => openStore({ home: `/tmp/keel-pg-${schema}`, url: PG_URL, schema }),
  async () => {
    const db = await openPostgres({ url: PG_URL });
    await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.close();
  },
);
