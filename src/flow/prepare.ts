// The step every training and tuning job starts with: read the source (a file or glob, SQL, an HTTP API, a snapshot),
// check the target, leave out rows without one, and split (stratified for classes, random for regression); and the
// default preprocessing every job fits.

import { KeelError } from '../core/index.ts';
import {
  applyPiiPolicies,
  type CsvDialect,
  type CsvOptions,
  checkFrame,
  contentId,
  type DatasetSchema,
  type Frame,
  type PiiPolicy,
  type QuarantinedRow,
  readCsv,
  readSnapshot,
  readSource,
  type Schema,
  type SourceDescription,
  type SourceSpecOptions,
  schemaOf,
  sourceFromSpec,
  typesOf,
} from '../data/index.ts';
import type { Task } from '../estimator/index.ts';
import { randomSplit, stratifiedSplit } from '../evaluate/index.ts';
import {
  encodeTarget,
  oneHotEncoder,
  simpleImputer,
  standardScaler,
  type Transformer,
} from '../transform/index.ts';
import { FlowErrors } from './errors.ts';

/** What a job read: the rows, how they were counted, where they came from, and their content id. */
export interface ReadData {
  frame: Frame;
  schema: Schema;
  quarantine: QuarantinedRow[];
  counts: { read: number; accepted: number; quarantined: number };
  source: SourceDescription;
  /** the dialect of a delimited file */
  dialect?: CsvDialect;
  /** the rows' content id (data/snapshot.ts's contentId): the same rows give the same id from any source */
  dataId: string;
  /** the snapshot the rows were read from (snapshot:<id>) */
  snapshot?: string;
}

/** How to reach a source: the file, SQL and HTTP options, and the snapshot store for snapshot:<id>. */
export interface ReadDataOptions extends SourceSpecOptions {
  snapshotDir?: string;
  /** a declared schema: its types instead of inference; rows breaking its rules are quarantined */
  declared?: DatasetSchema;
}

/** Whether a spec is one delimited file, read by Keel's own parallel reader (the other kinds go through sources). */
function isDelimitedFile(spec: string): boolean {
  if (/^[a-z][a-z0-9+]*:/i.test(spec) || /[*?[]/.test(spec)) return false;
  return !/\.(parquet|json|ndjson|jsonl)(\.gz)?$/i.test(spec);
}

/**
 * Reads any source a job can name: a CSV/TSV file (Keel's reader), a glob or Parquet/JSON/NDJSON file, sqlite:,
 * duckdb:, postgres:// (with query or table), an http(s) API, or snapshot:<id> from the snapshot store.
 */
export async function readData(spec: string, o: ReadDataOptions = {}): Promise<ReadData> {
  if (!o.declared) return readUndeclared(spec, o);
  const types = { ...typesOf(o.declared), ...o.types };
  const read = await readUndeclared(spec, { ...o, types, declared: undefined });
  const check = checkFrame(read.frame, o.declared, {
    source: read.source.location,
    readQuarantine: read.quarantine,
    read: read.counts.read,
    maxBadRowRate: 1,
  });
  if (check.structure.length > 0)
    throw new KeelError(
      FlowErrors.BAD_SOURCE,
      `${spec} does not fit the declared schema: ${check.structure.join('; ')}`,
    );
  // personal data is dropped, masked or hashed as the schema says, before anything is stored or learned
  const policies = Object.fromEntries(
    o.declared.columns.filter((c) => c.pii && c.pii !== 'keep').map((c) => [c.name, c.pii as PiiPolicy]),
  );
  const { frame } = applyPiiPolicies(check.frame, policies);
  // the schema keeps what the declaration says about each column: a sensitive or personal one is redacted wherever
  // values are logged (the prediction log)
  const declaredBy = new Map(o.declared.columns.map((c) => [c.name, c]));
  const schema = schemaOf(frame);
  for (const c of schema.columns) {
    const d = declaredBy.get(c.name);
    if (d?.pii && d.pii !== 'keep') c.pii = d.pii;
    if (d?.sensitive || c.pii) c.sensitive = true;
  }
  return {
    ...read,
    frame,
    schema,
    quarantine: check.quarantine,
    counts: check.rows,
    dataId: contentId(frame),
  };
}

async function readUndeclared(spec: string, o: ReadDataOptions): Promise<ReadData> {
  if (spec.startsWith('snapshot:')) {
    const id = spec.slice('snapshot:'.length);
    if (!o.snapshotDir) throw new KeelError(FlowErrors.BAD_SOURCE, `${spec}: no snapshot store was given`);
    const { frame, manifest } = await readSnapshot(o.snapshotDir, id);
    return {
      frame,
      schema: schemaOf(frame),
      quarantine: [],
      counts: { read: frame.nRows, accepted: frame.nRows, quarantined: 0 },
      source: { kind: 'snapshot', location: spec, details: { sources: manifest.sources } },
      dataId: id,
      snapshot: id,
    };
  }
  if (isDelimitedFile(spec)) {
    const csv: CsvOptions = { ...o };
    const r = await readCsv(spec, csv);
    return {
      frame: r.frame,
      schema: r.schema,
      quarantine: r.quarantine,
      counts: r.counts,
      source: { kind: 'file', location: spec, details: { format: 'csv' } },
      dialect: r.dialect,
      dataId: contentId(r.frame),
    };
  }
  const r = await readSource(sourceFromSpec(spec, o));
  return { ...r, dataId: contentId(r.frame) };
}

export interface LabelledData {
  data: ReadData;
  /** the rows that have a target */
  frame: Frame;
  /** rows left out for lacking a target */
  dropped: number;
}

/** Reads a source and keeps the rows with a target; a target that is not a column is a coded error naming the columns. */
export async function readLabelled(
  spec: string,
  target: string,
  o: ReadDataOptions = {},
): Promise<LabelledData> {
  const data = await readData(spec, o);
  if (!data.frame.has(target)) {
    throw new KeelError(
      FlowErrors.BAD_TARGET,
      `target "${target}" is not a column of ${spec}; columns: ${data.frame.names.join(', ')}`,
    );
  }
  const { frame, dropped } = dropMissingTarget(data.frame, target);
  return { data, frame, dropped };
}

export function dropMissingTarget(frame: Frame, target: string): { frame: Frame; dropped: number } {
  const c = frame.column(target);
  const keep: number[] = [];
  for (let i = 0; i < frame.nRows; i++) {
    const missing = c.type === 'categorical' ? c.codes[i] < 0 : Number.isNaN(c.values[i]);
    if (!missing) keep.push(i);
  }
  return keep.length === frame.nRows
    ? { frame, dropped: 0 }
    : { frame: frame.take(keep), dropped: frame.nRows - keep.length };
}

/** A held-out split: stratified by class for classification, random for regression, seeded. */
export function holdOut(
  frame: Frame,
  target: string,
  task: Task,
  share: number,
  seed: number,
): { train: Frame; test: Frame; testRows: Int32Array } {
  const split =
    task === 'regression'
      ? randomSplit(frame.nRows, share, seed)
      : stratifiedSplit(encodeTarget(frame.column(target), task).y, share, seed);
  return { train: frame.take(split.train), test: frame.take(split.test), testRows: split.test };
}

/** The preprocessing every job fits before its model: median / most-frequent imputation, scaling, one-hot. */
export function defaultSteps(): Transformer[] {
  return [simpleImputer(), standardScaler(), oneHotEncoder()];
}
