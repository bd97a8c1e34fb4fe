// The Source contract every kind speaks: describe where it reads (no secrets) and yield batches of rows as Frames,
// each with the rows it quarantined, so that read = accepted + quarantined holds batch by batch and in total.

import { concatFrames } from '../concat.ts';
import type { QuarantinedRow } from '../errors.ts';
import { Frame } from '../frame.ts';
import { assertReconciled } from '../records.ts';
import { type Schema, schemaOf } from '../schema.ts';

/** Where a source reads, safe to store in a snapshot or a run's lineage: never a password, token or key. */
export interface SourceDescription {
  kind: string;
  /** a path, a query with its database (credentials removed), a URL (query secrets removed), a stream name */
  location: string;
  /** stream positions, pages read, files matched... */
  details?: Record<string, unknown>;
}

export interface SourceBatch {
  frame: Frame;
  quarantine: QuarantinedRow[];
  /** rows (records, messages) this batch took from the source: frame.nRows + quarantined rows */
  read: number;
  /** the line (or record number) each accepted row came from, where the source knows it */
  lines?: ArrayLike<number>;
}

export interface ReadOptions {
  /** rows per batch (a hint; sources may yield smaller batches) */
  batchRows?: number;
  /** stops reading between batches */
  signal?: AbortSignal;
}

export interface Source {
  readonly kind: string;
  describe(): SourceDescription;
  /** reads the source once, start to end; every call starts again from the beginning */
  batches(options?: ReadOptions): AsyncGenerator<SourceBatch>;
}

export interface SourceRead {
  frame: Frame;
  schema: Schema;
  quarantine: QuarantinedRow[];
  counts: { read: number; accepted: number; quarantined: number };
  source: SourceDescription;
  /** the line (or record number) of each accepted row, when every batch told it */
  lines?: Int32Array;
}

export interface ReadAllOptions extends ReadOptions {
  /** called after each batch with the running totals */
  onProgress?: (p: { read: number; accepted: number; quarantined: number }) => void;
}

/** Reads a whole source into one Frame, reconciling the counts of every batch and of the total. */
export async function readSource(source: Source, options: ReadAllOptions = {}): Promise<SourceRead> {
  const frames: Frame[] = [];
  const lineParts: ArrayLike<number>[] = [];
  let allLines = true;
  const quarantine: QuarantinedRow[] = [];
  let read = 0;
  let accepted = 0;
  let quarantined = 0;
  const where = source.describe().location;
  for await (const b of source.batches(options)) {
    const bad = distinctRows(b.quarantine);
    assertReconciled(where, b.read, b.frame.nRows, bad);
    if (b.frame.nRows > 0 || frames.length === 0) frames.push(b.frame);
    if (b.lines && b.lines.length === b.frame.nRows) lineParts.push(b.lines);
    else if (b.frame.nRows > 0) allLines = false;
    quarantine.push(...b.quarantine);
    read += b.read;
    accepted += b.frame.nRows;
    quarantined += bad;
    options.onProgress?.({ read, accepted, quarantined });
  }
  const nonEmpty = frames.filter((f) => f.columns.length > 0);
  const frame = nonEmpty.length === 0 ? new Frame([]) : concatFrames(nonEmpty);
  let lines: Int32Array | undefined;
  if (allLines) {
    lines = new Int32Array(frame.nRows);
    let off = 0;
    for (const part of lineParts) {
      lines.set(Array.from(part), off);
      off += part.length;
    }
  }
  return {
    frame,
    lines,
    schema: schemaOf(frame),
    quarantine,
    counts: { read, accepted, quarantined },
    source: source.describe(),
  };
}

/** Quarantine entries are per problem; a row with two bad fields is one quarantined row. */
export function distinctRows(q: readonly QuarantinedRow[]): number {
  return new Set(q.map((r) => `${r.source}\u0000${r.line}\u0000${r.offset ?? ''}`)).size;
}
