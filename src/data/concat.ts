// concatFrames: rows of several frames with the same columns, one after another (sources read in batches, serving
// gathers requests); category levels are merged by their text.

import { KeelError } from '../core/index.ts';
import { DataErrors } from './errors.ts';
import { type CategoricalColumn, type Column, Frame, levelCode } from './frame.ts';

/** Rows of several frames with the same columns, one after another; category levels are merged by their text. */
export function concatFrames(frames: readonly Frame[]): Frame {
  if (frames.length === 1) return frames[0];
  const n = frames.reduce((s, f) => s + f.nRows, 0);
  const columns: Column[] = frames[0].columns.map((c0) => {
    if (c0.type === 'categorical') {
      const levels: string[] = [];
      const index = new Map<string, number>();
      const codes = new Int32Array(n);
      let off = 0;
      for (const f of frames) {
        const c = f.column(c0.name) as CategoricalColumn;
        const remap = c.levels.map((lv) => levelCode(levels, index, lv));
        for (let i = 0; i < c.codes.length; i++) codes[off + i] = c.codes[i] < 0 ? -1 : remap[c.codes[i]];
        off += c.codes.length;
      }
      return { name: c0.name, type: 'categorical', codes, levels };
    }
    const values = new Float64Array(n);
    let off = 0;
    for (const f of frames) {
      const c = f.column(c0.name);
      if (c.type === 'categorical')
        throw new KeelError(DataErrors.FRAME_SHAPE, `column "${c0.name}" changes type between batches`);
      values.set(c.values, off);
      off += c.values.length;
    }
    return { name: c0.name, type: c0.type, values };
  });
  return new Frame(columns);
}
