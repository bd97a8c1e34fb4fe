// Where tests find PostgreSQL (KEEL_TEST_PG_URL, default the local server) and how they name a schema of their own.

export const PG_URL = process.env.KEEL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function testSchema(purpose: string): string {
  return `keel_t_${purpose}_${process.pid}_${Date.now().toString(36)}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
}
