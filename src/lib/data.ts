// What the library's calls accept as data: a source spec (any source keel reads) or rows already in memory.

import { contentId, type Frame, RecordFramer, type Schema } from '../data/index.ts';
import { type ReadData, type ReadDataOptions, readData } from '../flow/index.ts';

/** A source spec (a file or glob, sqlite:…, duckdb:…, postgres://…, an http(s) API, snapshot:<id>) or rows. */
export type DataInput = string | readonly Record<string, unknown>[];

/** Rows in memory as a read: every row accepted or quarantined with its reason, like any other source. */
function readRows(rows: readonly Record<string, unknown>[], o: ReadDataOptions, schema?: Schema): ReadData {
  const framer = new RecordFramer('rows', schema, o.types, {
    missing: o.missing ? [...o.missing] : undefined,
    zone: o.zone,
  });
  rows.forEach((r, i) => {
    framer.push(r, i + 1);
  });
  const b = framer.flush();
  return {
    frame: b.frame,
    schema: framer.schema ?? { columns: [] },
    quarantine: b.quarantine,
    counts: { read: b.read, accepted: b.frame.nRows, quarantined: b.read - b.frame.nRows },
    source: { kind: 'rows', location: `${rows.length} rows in memory` },
    dataId: '',
  };
}

/** Reads a DataInput; rows are framed with the given schema where there is one (a model's input schema). */
export async function readInput(
  input: DataInput,
  o: ReadDataOptions = {},
  schema?: Schema,
): Promise<ReadData> {
  if (typeof input === 'string') return readData(input, o);
  const read = readRows(input, o, schema);
  return { ...read, dataId: contentId(read.frame) };
}

export type { Frame };
