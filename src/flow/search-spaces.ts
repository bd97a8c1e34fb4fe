// Default search spaces of `keel tune`: each family's descriptor declares its space as data (ranges that cover what
// usually works, log-scaled where the effect is multiplicative); here it becomes suggestions, in declared order, a
// conditional param only when its branch was taken. Fixed params (from --param) override a suggested one.

import { KeelError } from '../core/index.ts';
import type { SearchSpaceSpec } from '../estimator/index.ts';
import { FAMILY_LIST, familyOf } from '../models/index.ts';
import type { Trial } from '../tune/index.ts';
import { FlowErrors } from './errors.ts';

export type SearchSpace = (trial: Trial) => Record<string, unknown>;

/** A declared space as a define-by-run objective's suggestions. */
export function suggestFrom(space: SearchSpaceSpec): SearchSpace {
  return (t) => {
    const out: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(space)) {
      if (p.when && out[p.when.param] !== p.when.is) continue;
      out[name] =
        p.type === 'categorical'
          ? t.suggestCategorical(name, [...p.choices])
          : p.type === 'int'
            ? t.suggestInt(name, p.low, p.high, p.log ? { log: true } : undefined)
            : t.suggestFloat(name, p.low, p.high, p.log ? { log: true } : undefined);
    }
    return out;
  };
}

/** The tunable kinds: those whose descriptor declares a space. */
export const TUNABLE_KINDS: readonly string[] = FAMILY_LIST.filter((d) => d.searchSpace).map((d) => d.kind);

export function searchSpaceOf(kind: string): SearchSpace {
  const space = familyOf(kind).searchSpace;
  if (!space) {
    throw new KeelError(
      FlowErrors.NO_SEARCH_SPACE,
      `no default search space for "${kind}" (tunable: ${TUNABLE_KINDS.join(', ')})`,
    );
  }
  return suggestFrom(space);
}
