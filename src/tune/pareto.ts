// Pareto dominance for several objectives: non-dominated sorting and crowding distance (as in NSGA-II).

import type { Direction } from './types.ts';

/** Values turned so that smaller is better for every objective. */
export function asLoss(values: readonly number[], directions: readonly Direction[]): number[] {
  return values.map((v, i) => (directions[i] === 'maximize' ? -v : v));
}

/** a dominates b: no worse anywhere and better somewhere (both already losses). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

/** Front number of each point (0 = the Pareto front). O(n² m), fine for studies of thousands of trials. */
export function nondominatedRanks(losses: readonly (readonly number[])[]): number[] {
  const n = losses.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(losses[i], losses[j])) {
        dominating[i].push(j);
        dominatedBy[j]++;
      } else if (dominates(losses[j], losses[i])) {
        dominating[j].push(i);
        dominatedBy[i]++;
      }
    }
  }
  const rank = new Array<number>(n).fill(-1);
  let front = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) front.push(i);
  let r = 0;
  while (front.length > 0) {
    const next: number[] = [];
    for (const i of front) {
      rank[i] = r;
      for (const j of dominating[i]) if (--dominatedBy[j] === 0) next.push(j);
    }
    front = next;
    r++;
  }
  return rank;
}

/** Crowding distance of each point within its own set (boundary points get Infinity). */
export function crowding(losses: readonly (readonly number[])[]): number[] {
  const n = losses.length;
  const d = new Array<number>(n).fill(0);
  if (n === 0) return d;
  for (let m = 0; m < losses[0].length; m++) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => losses[a][m] - losses[b][m]);
    const span = losses[order[n - 1]][m] - losses[order[0]][m];
    d[order[0]] = d[order[n - 1]] = Number.POSITIVE_INFINITY;
    if (span === 0) continue;
    for (let k = 1; k < n - 1; k++) d[order[k]] += (losses[order[k + 1]][m] - losses[order[k - 1]][m]) / span;
  }
  return d;
}

/**
 * Orders points best first: by front, then by crowding within a front (spread-out points first). With one
 * objective this is simply ascending loss.
 */
export function paretoOrder(losses: readonly (readonly number[])[]): number[] {
  const n = losses.length;
  if (n === 0) return [];
  if (losses[0].length === 1)
    return Array.from({ length: n }, (_, i) => i).sort((a, b) => losses[a][0] - losses[b][0]);
  const rank = nondominatedRanks(losses);
  const crowd = new Array<number>(n).fill(0);
  const byFront = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const f = byFront.get(rank[i]) ?? [];
    f.push(i);
    byFront.set(rank[i], f);
  }
  for (const members of byFront.values()) {
    const c = crowding(members.map((i) => losses[i]));
    members.forEach((i, k) => {
      crowd[i] = c[k];
    });
  }
  return Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => rank[a] - rank[b] || crowd[b] - crowd[a] || a - b,
  );
}
