// The data check job: read a source (declared types applied while reading), check it against a declared or inferred
// schema, profile it, and report — every record read is either accepted or quarantined with its reason.

import type { ColumnType } from '../frame.ts';
import { readSource, type Source } from '../sources/source.ts';
import { checkFrame } from './check.ts';
import { profileDataset } from './profile.ts';
import { buildReport, type QualityReport } from './report.ts';
import { type DatasetSchema, inferDatasetSchema } from './rules.ts';

export interface DataJobOptions {
  /** the declared schema; inferred from the data when absent */
  schema?: DatasetSchema;
  maxBadRowRate?: number;
  target?: string;
  /** include the profile (default true) */
  profile?: boolean;
  onProgress?: (p: { phase: string; read?: number }) => void;
  now?: number;
}

/** Declared column types, for sources that take them while reading (so misfits are quarantined there). */
export function typesOf(schema: DatasetSchema): Record<string, ColumnType> {
  return Object.fromEntries(schema.columns.map((c) => [c.name, c.type]));
}

export async function runDataJob(source: Source, o: DataJobOptions = {}): Promise<QualityReport> {
  o.onProgress?.({ phase: 'reading' });
  const read = await readSource(source, {
    onProgress: (p) => o.onProgress?.({ phase: 'reading', read: p.read }),
  });
  const schema = o.schema ?? inferDatasetSchema(read.frame);
  o.onProgress?.({ phase: 'checking', read: read.counts.read });
  const check = checkFrame(read.frame, schema, {
    source: read.source.location,
    lines: read.lines,
    readQuarantine: read.quarantine,
    read: read.counts.read,
    maxBadRowRate: o.maxBadRowRate,
    now: o.now,
  });
  let profile: ReturnType<typeof profileDataset> | undefined;
  if (o.profile !== false) {
    o.onProgress?.({ phase: 'profiling', read: read.counts.read });
    profile = profileDataset(check.frame, { target: o.target });
  }
  return buildReport(read.source, check, schema, profile);
}
