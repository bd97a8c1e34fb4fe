// The passes besides histogram blocks that the training thread (threads.ts) and the histogram helpers
// (hist-worker.mjs) claim chunk by chunk: plain JavaScript, so both run the very same lines (the helpers start
// without the TypeScript loader).
import { noteLeaves, updateRows } from './score-update.mjs';

/** A job's UPDATE word besides 0 (a histogram job): the two passes of a fused score update, a window of bin
 * assignment, the reduction of block histograms into slot 0. */
export const PASS_LEAVES = 1;
export const PASS_ROWS = 2;
export const PASS_BINS = 3;
export const PASS_REDUCE = 4;

/**
 * Runs [from, to) of a pass: positions or rows of a score update, rows of the bin-assignment window (`arg`: the
 * window's first row in the store), or histogram elements of a reduction (`arg`: how many block histograms).
 */
export function runPass(pass, from, to, c, arg) {
  if (pass === PASS_REDUCE) c.store.reduceSlots(c.at.slots, c.size * 8, arg, from, to);
  else if (pass === PASS_BINS)
    c.store.binRows(
      c.binLayout.window + from * c.p * 8,
      to - from,
      c.p,
      arg + from,
      c.binLayout.tables,
      c.at.bins,
      c.at.cols,
      c.n,
    );
  else if (pass === PASS_LEAVES) noteLeaves(c.update, c.idx, from, to);
  else updateRows(c.update, c.gh, from, to);
}
