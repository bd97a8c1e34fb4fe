// The one frame operation most steps share: each chosen column replaced, in place, by the columns made from it.

import { type Column, Frame } from '../data/index.ts';

export function replaceColumns(
  frame: Frame,
  names: readonly string[],
  make: (c: Column, j: number) => Column[],
): Frame {
  const at = new Map(names.map((n, j) => [n, j]));
  const out: Column[] = [];
  for (const c of frame.columns) {
    const j = at.get(c.name);
    if (j === undefined) out.push(c);
    else out.push(...make(c, j));
  }
  return new Frame(out);
}
