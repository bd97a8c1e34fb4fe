// The CSV helper thread: parses bytes [start, end) of the file (which begin on a record boundary) with the column
// names and types the main thread settled, writing values into the shared columns, and posts back the rest.

import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CategoricalBuilder, RegionFull } from './columns.ts';
import { type PartConfig, PartParser } from './part.ts';
import { ChunkReader, Fields, scan } from './scan.ts';

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

// The parse runs after this module has finished evaluating, and says so first: a worker terminated while its modules
// are still evaluating can abort the whole process in Node 20's V8 ("Check failed: (location_) != nullptr", seen once
// in CI when the reader fell back to one thread and stopped its helper; nodejs/node#42501, #53238). helper.ts
// terminates the thread only once it has said it started.
setImmediate(parseJob);

function parseJob(): void {
  port.postMessage({ started: true });
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
    const reader = new ChunkReader(fd, CHUNK);
    const fields = new Fields();
    const at = { line: 1 };
    let pos = job.start;
    try {
      for (;;) {
        const { view, n } = reader.next(pos, job.end - pos);
        pos += n;
        const final = n === 0;
        const used = scan(view, 0, view.length, final, dialect, fields, at, part.onRecord);
        reader.keep(view, used);
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
}
