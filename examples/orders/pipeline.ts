// Orders example: two messy sources (a CSV export of orders, an NDJSON dump of customers with other column names)
// brought into one checked table — quarantine, de-duplication, time zones, a join, a declared schema with
// expectations, an HTML report and a content-addressed snapshot. Run: npx tsx examples/orders/pipeline.ts [out-dir]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  alignColumns,
  checkFrame,
  col,
  dedupe,
  defineSchema,
  fileSource,
  joinFrames,
  normalizeTime,
  profileDataset,
  type RowOf,
  readSource,
  reportHtml,
  buildReport,
  writeSnapshot,
} from '../../src/data/index.ts';

const here = path.dirname(new URL(import.meta.url).pathname);

/** What a clean, joined order row looks like: declared once, checked at run time, a TypeScript type at compile time. */
const schema = defineSchema(
  {
    order_id: col.number({ integer: true, unique: true }),
    customer: col.category({ pattern: 'C[0-9]{3}' }),
    amount: col.number({ min: 0, max: 10_000 }),
    status: col.category({ allowed: ['paid', 'refunded', 'open'] as const }),
    updated_at: col.datetime({ min: '2024-01-01' }),
    city: col.category({ nullable: true }),
    vip: col.category({ nullable: true, allowed: ['yes', 'no'] as const }),
  },
  {
    expectations: [
      { kind: 'row_count', min: 50 },
      { kind: 'missing_rate', column: 'city', max: 0.05, severity: 'warn' },
      { kind: 'category_share', column: 'status', value: 'paid', min: 0.4 },
    ],
  },
);
export type Order = RowOf<typeof schema>;

// 1. Read both sources: every record is accepted or quarantined with its line and reason
const orders = await readSource(
  fileSource(path.join(here, 'orders.csv'), { types: { order_id: 'numeric', amount: 'numeric', updated_at: 'datetime' } }),
);
console.log(`orders.csv: read ${orders.counts.read} = accepted ${orders.counts.accepted} + quarantined ${orders.counts.quarantined}`);
for (const q of orders.quarantine) console.log(`  line ${q.line}: ${q.code}${q.column ? ` [${q.column}]` : ''} ${JSON.stringify(q.raw)}`);
const customersRaw = await readSource(fileSource(path.join(here, 'customers.ndjson')));

// 2. The customers dump spells its columns differently: map them by normalised name, coerce, report
const customers = alignColumns(customersRaw.frame, {
  columns: [{ name: 'customer' }, { name: 'city' }, { name: 'signup', type: 'datetime' }, { name: 'vip' }],
  rename: { 'Customer ID': 'customer' },
});
console.log(
  `customers: renamed ${JSON.stringify(customers.report.renamed)}; coerced ${customers.report.coerced.map((c) => `${c.column} ${c.from}→${c.to}`).join(', ') || 'nothing (types already right)'}`,
);

// 3. The export repeats an order that changed later: keep the latest version, and show what disagreed
const deduped = dedupe(orders.frame, { key: ['order_id'], keep: 'latest', orderBy: 'updated_at' });
console.log(`dedupe: removed ${deduped.report.removed}; conflicts ${deduped.report.conflicts.map((c) => `${c.key}.${c.column} ${JSON.stringify(c.values)} kept ${c.kept}`).join('; ')}`);

// 4. The shop's clock is Oslo time: store UTC
const utc = normalizeTime(deduped.frame, 'updated_at', { timeZone: 'Europe/Oslo' });

// 5. Join the customers in; orders of unknown customers stay, and are reported
const joined = joinFrames(utc, customers.frame.drop(['signup']), { on: 'customer', how: 'left' });
console.log(`join: ${joined.report.matchedLeftRows} of ${joined.report.leftRows} orders matched; unknown customers ${joined.report.unmatchedLeft.examples.join(', ')}`);

// 6. Check the table against the declared schema and its expectations; write the HTML report
// rows merged by the de-duplication are neither accepted nor quarantined: they are counted on their own
const check = checkFrame(joined.frame, schema, {
  source: 'orders.csv + customers.ndjson',
  readQuarantine: orders.quarantine,
  read: orders.counts.read - deduped.report.removed,
  maxBadRowRate: 0.1,
});
const out = process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'keel-orders-')); // or a folder you name
fs.mkdirSync(out, { recursive: true });
const report = buildReport({ kind: 'file', location: 'examples/orders' }, check, schema, profileDataset(check.frame, { target: 'status' }));
fs.writeFileSync(path.join(out, 'report.html'), reportHtml(report));
console.log(
  `check: ${check.passed ? 'PASSED' : 'FAILED'}; read ${orders.counts.read} = accepted ${check.rows.accepted} + quarantined ${check.rows.quarantined} + duplicates merged ${deduped.report.removed}`,
);
for (const q of check.quarantine.filter((x) => !orders.quarantine.includes(x))) console.log(`  row ${q.line}: ${q.code} [${q.column}] ${JSON.stringify(q.raw)}`);
for (const w of check.warnings) console.log(`  warning: ${w}`);
for (const f of check.failures) console.log(`  failure: ${f}`);

// 7. Snapshot what passed: the same content always gets the same id, which training runs record as lineage
const snap = await writeSnapshot({ frame: check.frame, source: orders.source }, { dir: path.join(out, 'snapshots') });
const again = await writeSnapshot({ frame: check.frame, source: orders.source }, { dir: path.join(out, 'snapshots') });
console.log(`snapshot ${snap.id} (${snap.manifest.rows} rows); written again: ${again.created ? 'yes' : 'no, same id'}`);
console.log(`report: ${path.join(out, 'report.html')}`);
