// Inference side of text features for short free-text fields: token counts, TF-IDF (scikit-learn's smooth idf and
// l2 row norm) over a fitted vocabulary, or the hashing trick (MurmurHash3, signed, as HashingVectorizer) with no
// vocabulary at all. Tokens: runs of two or more letters, digits or underscores, lower-cased.

import { KeelError } from '../core/index.ts';
import type { CategoricalColumn, Column, Frame } from '../data/index.ts';
import { replaceColumns } from './columns.ts';
import { TransformErrors } from './errors.ts';
import type { TransformState } from './types.ts';

export interface TextState extends TransformState {
  kind: 'text';
  columns: string[];
  mode: 'counts' | 'binary' | 'tfidf' | 'hashing';
  lowercase: boolean;
  /** per column: the sorted vocabulary (empty for hashing) */
  vocabulary: string[][];
  /** per column: idf of each vocabulary term (tfidf only) */
  idf: Float64Array[];
  /** hashing: number of output columns */
  nFeatures: number;
}

export const TEXT_KINDS = new Set(['text']);

const TOKEN = /[\p{L}\p{N}_]{2,}/gu;

export function tokenize(text: string, lowercase: boolean): string[] {
  return (lowercase ? text.toLowerCase() : text).match(TOKEN) ?? [];
}

/** MurmurHash3 (x86, 32-bit) of a string's UTF-8 bytes, as a signed 32-bit integer. */
export function murmur3(text: string, seed = 0): number {
  const bytes = new TextEncoder().encode(text);
  let h = seed >>> 0;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const n = bytes.length;
  const blocks = n & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // the 1-3 tail bytes, little-endian
  const tail = n & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2] << 16;
    if (tail >= 2) k ^= bytes[blocks + 1] << 8;
    k ^= bytes[blocks];
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function textColumn(frame: Frame, name: string): CategoricalColumn {
  const c = frame.column(name);
  if (c.type !== 'categorical')
    throw new KeelError(TransformErrors.BAD_PIPELINE, `column "${name}" is not text`);
  return c;
}

/** The rows × features matrix of one text column, row-major. */
export function textMatrix(
  s: TextState,
  j: number,
  c: CategoricalColumn,
): { width: number; data: Float64Array; names: string[] } {
  const n = c.codes.length;
  const vocab = s.vocabulary[j];
  const width = s.mode === 'hashing' ? s.nFeatures : vocab.length;
  const data = new Float64Array(n * width);
  const slot = new Map(vocab.map((t, k) => [t, k]));
  // tokenise each level once: rows share levels
  const perLevel = c.levels.map((text) => tokenize(text, s.lowercase));
  for (let i = 0; i < n; i++) {
    if (c.codes[i] < 0) continue;
    const row = i * width;
    for (const tok of perLevel[c.codes[i]]) {
      if (s.mode === 'hashing') {
        const h = murmur3(tok);
        const idx = Math.abs(h) % width;
        data[row + idx] += h >= 0 ? 1 : -1;
      } else {
        const k = slot.get(tok);
        if (k === undefined) continue;
        data[row + k] = s.mode === 'binary' ? 1 : data[row + k] + 1;
      }
    }
    if (s.mode === 'tfidf' || s.mode === 'hashing') {
      if (s.mode === 'tfidf') for (let k = 0; k < width; k++) data[row + k] *= s.idf[j][k];
      let norm = 0;
      for (let k = 0; k < width; k++) norm += data[row + k] * data[row + k];
      norm = Math.sqrt(norm);
      if (norm > 0) for (let k = 0; k < width; k++) data[row + k] /= norm;
    }
  }
  const names =
    s.mode === 'hashing'
      ? Array.from({ length: width }, (_, k) => `${c.name}#${k}`)
      : vocab.map((t) => `${c.name}[${t}]`);
  return { width, data, names };
}

export function applyText(state: TransformState, frame: Frame): Frame {
  const s = state as TextState;
  const n = frame.nRows;
  return replaceColumns(frame, s.columns, (c, j) => {
    const { width, data, names } = textMatrix(s, j, textColumn(frame, c.name));
    return names.map((name, k): Column => {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = data[i * width + k];
      return { name, type: 'numeric', values };
    });
  });
}
