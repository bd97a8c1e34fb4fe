// Types of score-update.mjs (plain JavaScript shared with the histogram helper threads).
import type { ScoreUpdate } from './threads.ts';

export function noteLeaves(u: ScoreUpdate, idx: Int32Array, from: number, to: number): void;
export function updateRows(u: ScoreUpdate, gh: Float64Array, from: number, to: number): void;
