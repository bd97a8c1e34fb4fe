// The three ways a row reaches a model — training (CSV → readCsv → pipeline), serving (JSON → the server's validation →
// compiled pipeline, and its frame fallback) and batch scoring (CSV → readTableChunks → pipeline) — fed the same
// random rows; prints, per type mix, how many feature values differ in their bits. Run under several TZ settings by
// value-paths.test.ts. Usage: value-paths-run.ts <dir> <rows> <reading zone>

import fs from 'node:fs';
import path from 'node:path';
import { createRng, type Rng } from '../../src/core/index.ts';
import {
  type ColumnType,
  DEFAULT_MISSING_MARKERS,
  readCsv,
  readTableChunks,
  type Schema,
  ValueReader,
} from '../../src/data/index.ts';
import type { Matrix, ModelOutput } from '../../src/estimator/index.ts';
import { createLearner } from '../../src/models/index.ts';
import { recordsToFrame, validatePredictBody } from '../../src/serve/index.ts';
import {
  compileScorer,
  oneHotEncoder,
  type PipelineState,
  pipeline,
  scorePipeline,
  simpleImputer,
  standardScaler,
} from '../../src/transform/index.ts';

const [dir, rowsArg, zone] = process.argv.slice(2);
const ROWS = Number(rowsArg);
// the spellings a user writes for "missing" (the default markers); JSON may also send null
const MARKERS = DEFAULT_MISSING_MARKERS.filter((m) => m !== '');
const LEVELS = [
  'Private',
  'Self-emp',
  'Ünïcødé',
  'naïve café',
  '東京',
  'a,b',
  'say "hi"',
  'emoji 🙂',
  'x\ty',
  '0',
];

interface Cell {
  /** the field as written in the CSV (before quoting) */
  text: string;
  /** the same value in a JSON request */
  json: unknown;
}

const pad = (r: Rng, s: string) => `${r.next() < 0.2 ? ' ' : ''}${s}${r.next() < 0.2 ? '  ' : ''}`;

function missing(r: Rng): Cell {
  const u = r.next();
  if (u < 0.3) return { text: '', json: null };
  const m = MARKERS[Math.floor(r.next() * MARKERS.length)];
  return { text: pad(r, m), json: u < 0.6 ? null : pad(r, m) };
}

function numberCell(r: Rng): Cell {
  const u = r.next();
  let text: string;
  if (u < 0.25) text = String(Math.floor((r.next() - 0.5) * 2e6));
  else if (u < 0.5) text = ((r.next() - 0.5) * 1000).toFixed(Math.floor(r.next() * 9));
  else if (u < 0.75)
    text = `${(r.next() * 9 + 1).toFixed(3)}${r.next() < 0.5 ? 'e' : 'E'}${r.next() < 0.5 ? '-' : ''}${Math.floor(r.next() * 20)}`;
  else text = String((r.next() - 0.5) * 10 ** Math.floor(r.next() * 30 - 10));
  return { text: pad(r, text), json: Number(text) };
}

function booleanCell(r: Rng): Cell {
  const v = r.next() < 0.5;
  const spellings = v ? ['true', 'TRUE', 'True'] : ['false', 'FALSE', 'False'];
  return { text: pad(r, spellings[Math.floor(r.next() * 3)]), json: v };
}

const two = (n: number) => String(n).padStart(2, '0');

function dateCell(r: Rng): Cell {
  // 1990-2030, through both daylight-saving changes of America/New_York
  const t = Date.UTC(1990, 0, 1) + Math.floor(r.next() * 40 * 365.25 * 86_400) * 1000;
  const d = new Date(t);
  const [y, mo, da, h, mi, s] = [
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
  const date = `${y}-${two(mo)}-${two(da)}`;
  const u = r.next();
  let text: string;
  if (u < 0.2) text = date;
  else if (u < 0.4) text = `${date}T${two(h)}:${two(mi)}:${two(s)}`;
  else if (u < 0.55) text = `${date} ${two(h)}:${two(mi)}`;
  else if (u < 0.7)
    text = `${date}T${two(h)}:${two(mi)}:${two(s)}.${String(Math.floor(r.next() * 1000)).padStart(3, '0')}Z`;
  else if (u < 0.85)
    text = `${date}T${two(h)}:${two(mi)}:${two(s)}${r.next() < 0.5 ? '+' : '-'}0${Math.floor(r.next() * 9)}:30`;
  else text = `${mo}/${da}/${y}${r.next() < 0.5 ? ` ${h}:${two(mi)}` : ''}`;
  return { text: pad(r, text), json: pad(r, text) };
}

function textCell(r: Rng): Cell {
  const v = pad(r, LEVELS[Math.floor(r.next() * LEVELS.length)]);
  return { text: v, json: v };
}

const MAKERS: Record<ColumnType, (r: Rng) => Cell> = {
  numeric: numberCell,
  boolean: booleanCell,
  datetime: dateCell,
  categorical: textCell,
};

const MIXES: { name: string; types: ColumnType[] }[] = [
  { name: 'numbers and text', types: ['numeric', 'numeric', 'categorical', 'categorical'] },
  { name: 'date-times and booleans', types: ['datetime', 'boolean', 'datetime', 'numeric'] },
  { name: 'all types', types: ['numeric', 'categorical', 'boolean', 'datetime', 'categorical'] },
];

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The model's features themselves, as the "prediction": what each path built, to compare bit for bit. */
const features = (_state: unknown, X: Matrix): ModelOutput => ({
  kind: 'values',
  values: Float64Array.from(X.data),
});

function differences(a: Float64Array, b: Float64Array): { count: number; first: string | null } {
  if (a.length !== b.length)
    return { count: Math.max(a.length, b.length), first: `lengths ${a.length} vs ${b.length}` };
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length * 2);
  let count = 0;
  let first: string | null = null;
  for (let i = 0; i < a.length; i++) {
    if (ua[2 * i] !== ub[2 * i] || ua[2 * i + 1] !== ub[2 * i + 1]) {
      count++;
      first ??= `value ${i}: ${a[i]} vs ${b[i]}`;
    }
  }
  return { count, first };
}

const report: unknown[] = [];
for (const [m, mix] of MIXES.entries()) {
  const r = createRng(1000 + m);
  const names = mix.types.map((t, j) => `${t}_${j}`);
  const rows: Cell[][] = [];
  for (let i = 0; i < ROWS; i++)
    rows.push(mix.types.map((t) => (r.next() < 0.1 ? missing(r) : MAKERS[t](r))));
  const target = rows.map(() => (r.next() * 100).toFixed(2));
  const file = path.join(dir, `mix${m}.csv`);
  const lines = [[...names, 'y'].join(',')];
  for (const [i, row] of rows.entries())
    lines.push([...row.map((c) => csvField(c.text)), target[i]].join(','));
  fs.writeFileSync(file, `${lines.join('\n')}\n`);

  const types = Object.fromEntries([...names.map((n, j) => [n, mix.types[j]]), ['y', 'numeric']]);
  // training: Keel's CSV reader, the default pipeline (imputer, scaler, one-hot)
  const data = await readCsv(file, { types, zone });
  const fitted = pipeline([simpleImputer(), standardScaler(), oneHotEncoder()], createLearner('ridge')).fit(
    data.frame,
    'y',
    { task: 'regression', schema: data.schema },
  );
  const state: PipelineState = fitted.state;
  const inputs = data.frame.drop(['y']);
  const trained = scorePipeline(state, inputs, features).values as Float64Array;

  // serving: JSON requests validated with the artifact's rules, then the compiled scorer and the frame fallback
  const reader = new ValueReader({ zone });
  const schema: Schema = state.inputSchema;
  const compiled = compileScorer(state, features);
  if (!compiled) throw new Error('the default pipeline should compile');
  const served: number[] = [];
  const servedFrame: number[] = [];
  const rejected: string[] = [];
  for (let i = 0; i < ROWS; i += 100) {
    const instances = rows
      .slice(i, i + 100)
      .map((row) => Object.fromEntries(row.map((c, j) => [names[j], c.json])));
    const v = validatePredictBody(
      JSON.parse(JSON.stringify({ instances })),
      schema,
      { maxInstances: 1000 },
      reader,
    );
    if (!v.ok) {
      rejected.push(`${v.errors[0].path}: ${v.errors[0].message}`);
      continue;
    }
    served.push(...(compiled.scoreRecords(v.records).values as Float64Array));
    servedFrame.push(
      ...(scorePipeline(state, recordsToFrame(v.records, schema), features).values as Float64Array),
    );
  }

  // batch scoring: the chunked reader keel score uses, with the artifact's rules
  const chunks = readTableChunks(file, { schema, chunkRows: 3000, missing: reader.rules.missing, zone });
  const batch: number[] = [];
  for await (const frame of chunks.chunks)
    batch.push(...(scorePipeline(state, frame, features).values as Float64Array));

  report.push({
    mix: mix.name,
    rows: ROWS,
    accepted: data.counts.accepted,
    quarantined: data.counts.quarantined + chunks.quarantine.length,
    rejected,
    features: trained.length,
    served: differences(trained, Float64Array.from(served)),
    servedFrame: differences(trained, Float64Array.from(servedFrame)),
    batch: differences(trained, Float64Array.from(batch)),
  });
}
console.log(JSON.stringify({ tz: process.env.TZ, zone, report }));
