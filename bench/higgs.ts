// The benchmarks' seeded Higgs-like table as CSV: a 0/1 label and 27 floats with six decimals (as exported tables
// usually carry); the last `categorical` float columns made categories instead.

import fs from 'node:fs';
import { createRng } from '../src/core/index.ts';

export const HIGGS_COLUMNS = 28;

export function writeHiggsCsv(file: string, rows: number, categorical = 0): void {
  const P = HIGGS_COLUMNS;
  const rng = createRng(2024);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `${['label', ...Array.from({ length: P - 1 }, (_, j) => `f${j}`)].join(',')}\n`);
  let block: string[] = [];
  for (let i = 0; i < rows; i++) {
    const row = [rng.next() < 0.47 ? '1' : '0'];
    for (let j = 1; j < P; j++) {
      if (j >= P - categorical) row.push(`c${Math.floor(rng.next() * (10 + 40 * (j % 3)))}`);
      else row.push((j > 20 ? Math.abs(rng.normal()) * 2 : rng.normal()).toFixed(6));
    }
    block.push(row.join(','));
    if (block.length === 20_000) {
      fs.writeSync(fd, `${block.join('\n')}\n`);
      block = [];
    }
  }
  if (block.length) fs.writeSync(fd, `${block.join('\n')}\n`);
  fs.closeSync(fd);
}
