// Fitting of text features (inference in text-apply.ts): the vocabulary (optionally the most frequent terms only, and
// only terms in at least minDf documents) and, for TF-IDF, scikit-learn's smooth idf = ln((1 + n) / (1 + df)) + 1.

import { KeelError } from '../core/index.ts';
import type { CategoricalColumn, Frame } from '../data/index.ts';
import { TransformErrors } from './errors.ts';
import { type TextState, tokenize } from './text-apply.ts';
import type { Transformer } from './types.ts';

export interface TextOptions {
  /** the text columns (default: none — name them, as any categorical column could hold text) */
  columns: string[];
  mode?: 'counts' | 'binary' | 'tfidf' | 'hashing';
  lowercase?: boolean;
  /** keep the terms with the highest corpus counts (ties: alphabetical) */
  maxFeatures?: number;
  /** drop terms found in fewer documents */
  minDf?: number;
  /** hashing: output columns (default 256) */
  nFeatures?: number;
}

export function textFeatures(options: TextOptions): Transformer {
  const mode = options.mode ?? 'tfidf';
  const lowercase = options.lowercase ?? true;
  if (!options.columns?.length)
    throw new KeelError(TransformErrors.BAD_PARAM, 'text features need the text columns named');
  return {
    kind: 'text',
    fit(frame: Frame): TextState {
      const vocabulary: string[][] = [];
      const idf: Float64Array[] = [];
      for (const name of options.columns) {
        const c = frame.column(name);
        if (c.type !== 'categorical')
          throw new KeelError(TransformErrors.BAD_PIPELINE, `column "${name}" is not text`);
        if (mode === 'hashing') {
          vocabulary.push([]);
          idf.push(new Float64Array(0));
          continue;
        }
        const { terms, df, n } = documentFrequencies(c, lowercase, options);
        vocabulary.push(terms);
        idf.push(
          mode === 'tfidf'
            ? Float64Array.from(terms, (t) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1)
            : new Float64Array(0),
        );
      }
      return {
        kind: 'text',
        columns: [...options.columns],
        mode,
        lowercase,
        vocabulary,
        idf,
        nFeatures: options.nFeatures ?? 256,
      };
    },
  };
}

function documentFrequencies(c: CategoricalColumn, lowercase: boolean, o: TextOptions) {
  const perLevel = c.levels.map((text) => tokenize(text, lowercase));
  const df = new Map<string, number>();
  const tf = new Map<string, number>();
  let n = 0;
  for (const code of c.codes) {
    n++; // a missing value is an empty document, as an empty string would be
    if (code < 0) continue;
    const toks = perLevel[code];
    for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of new Set(toks)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  let terms = [...df.keys()].filter((t) => (df.get(t) ?? 0) >= (o.minDf ?? 1));
  if (o.maxFeatures !== undefined && terms.length > o.maxFeatures) {
    terms = terms
      .sort((a, b) => (tf.get(b) ?? 0) - (tf.get(a) ?? 0) || (a < b ? -1 : 1))
      .slice(0, o.maxFeatures);
  }
  terms.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { terms, df, n };
}
