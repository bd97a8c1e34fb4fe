// The CSV helper thread: parses bytes [start, end) of the file (which begin on a record boundary) with the column
// names and types the main thread settled, writing values into the shared columns, and posts back the rest.

import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CategoricalBuilder, RegionFull } from './columns.ts';
import { type PartConfig, PartParser } from './part.ts';
import { Fields, scan } from './scan.ts';

interface Job {
  path: string;
  start: number;
  end: number;
  config: PartConfig;
  buffers: SharedArrayBuffer[];
  offset: number;
  capacity: number;
}

const CHUNK = 8 * 1024 * 1024;
const job = workerData as Job;
const port = parentPort as NonNullable<typeof parentPort>;

try {
  const regions = job.buffers.map((b, i) =>
    job.config.types[i] === 'categorical'
      ? new Int32Array(b, job.offset * 4, job.capacity)
      : new Float64Array(b, job.offset * 8, job.capacity),
  );
  const part = new PartParser({ ...job.config, regions });
  const dialect = {
    delimiter: job.config.delimiter.charCodeAt(0),
    quote: job.config.quote === '' ? -1 : job.config.quote.charCodeAt(0),
  };
  const fd = fs.openSync(job.path, 'r');
  const chunk = Buffer.allocUnsafe(CHUNK);
  const fields = new Fields();
  const at = { line: 1 };
  let pos = job.start;
  let carry: Uint8Array = new Uint8Array(0);
  try {
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, Math.min(CHUNK, job.end - pos), pos);
      pos += n;
      const final = n === 0;
      let buf: Uint8Array;
      if (carry.length === 0) buf = new Uint8Array(chunk.buffer, chunk.byteOffset, n);
      else {
        buf = new Uint8Array(carry.length + n);
        buf.set(carry);
        buf.set(chunk.subarray(0, n), carry.length);
      }
      const used = scan(buf, 0, buf.length, final, dialect, fields, at, part.onRecord);
      carry = used < buf.length ? new Uint8Array(buf.subarray(used)) : new Uint8Array(0);
      if (final) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  const lines = part.lines.a.slice(0, part.rows);
  port.postMessage(
    {
      rows: part.rows,
      read: part.read,
      lines,
      bad: part.bad,
      quarantine: part.quarantine,
      stats: part.builders.map((b) => ({
        present: b.present,
        failed: b.failed,
        ...(b instanceof CategoricalBuilder ? { levels: b.levels } : {}),
      })),
      pendingEmpty: part.pendingEmpty,
      sawRecord: part.sawRecord,
    },
    [lines.buffer],
  );
} catch (err) {
  port.postMessage(err instanceof RegionFull ? { overflow: true } : { error: (err as Error).message });
}
