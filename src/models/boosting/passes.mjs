// The passes besides histogram blocks that the training thread (threads.ts) and the histogram helpers
// (hist-worker.mjs) claim chunk by chunk: plain JavaScript, so both run the very same lines (the helpers start
// without the TypeScript loader).
import { noteLeaves, updateRows } from './score-update.mjs';

/** A job's UPDATE word besides 0 (a histogram job): the two passes of a fused score update, a window of bin
 * assignment, the reduction of block histograms into slot 0, a chunk of a node's partition. */
export const PASS_LEAVES = 1;
export const PASS_ROWS = 2;
export const PASS_BINS = 3;
export const PASS_REDUCE = 4;
export const PASS_PARTITION = 5;

/** The words of PassContext.part: the split's column address, bin, missing bin, whether missing goes left, the
 * node's first position, the chunk length; then each chunk's count of left rows. */
export const PART_COLUMN = 0;
export const PART_BIN = 1;
export const PART_MISSING = 2;
export const PART_MISSING_LEFT = 3;
export const PART_START = 4;
export const PART_CHUNK = 5;
export const PART_LEFTS = 6;

/** The control word (of threads.ts's `words`) holding a pass's `arg`: a reduction's block count, else FIRST. */
export function passArgWord(pass, words) {
  return pass === PASS_REDUCE ? words.SLOTS : words.FIRST;
}

/**
 * Runs [from, to) of a pass: positions or rows of a score update, rows of the bin-assignment window (`arg`: the
 * window's first row in the store), histogram elements of a reduction (`arg`: how many block histograms), or positions
 * of a partition (the split in `c.part`): the chunk's left rows stay at its start, its right rows go to the scratch at
 * the chunk's place in the node, and its count of left rows to `c.part` (threads.ts's partition puts them together).
 */
export function runPass(pass, from, to, c, arg) {
  if (pass === PASS_PARTITION) {
    const part = c.part;
    const offset = from - part[PART_START];
    const l = c.kernels.partition(
      part[PART_COLUMN],
      c.at.idx,
      c.at.scratch + 4 * offset,
      from,
      to,
      part[PART_BIN],
      part[PART_MISSING],
      part[PART_MISSING_LEFT],
      0,
    );
    part[PART_LEFTS + offset / part[PART_CHUNK]] = l - from;
  } else if (pass === PASS_REDUCE) c.store.reduceSlots(c.at.slots, c.size * 8, arg, from, to);
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
