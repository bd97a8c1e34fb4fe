// The two passes of a fused score update (threads.ts's ScoreUpdate), in plain JavaScript so the training thread and
// the histogram helpers (hist-worker.mjs, started without the TypeScript loader) run the very same lines.

/** The first pass over positions from..to: leafOf[idx[r]] := the leaf holding position r. */
export function noteLeaves(u, idx, from, to) {
  const { leafOf, leaves } = u;
  const count = leaves[0];
  let k = 0;
  while (k + 1 < count && leaves[3 + 2 * k] <= from) k++;
  for (let r = from; r < to; k++) {
    const end = k + 1 < count ? Math.min(to, leaves[3 + 2 * k]) : to;
    for (; r < end; r++) leafOf[idx[r]] = k;
  }
}

/**
 * The second pass over rows from..to: the leaf's value added to the score, then the logistic gradient pair — the
 * arithmetic of fit.ts's update and losses.ts's logistic loop, so the model's bits are the same.
 */
export function updateRows(u, gh, from, to) {
  const { F, y, leafOf, leaves } = u;
  for (let i = from; i < to; i++) {
    const f = F[i] + leaves[2 + 2 * leafOf[i]];
    F[i] = f;
    const e = Math.exp(-Math.abs(f));
    const q = f >= 0 ? 1 / (1 + e) : e / (1 + e);
    gh[2 * i] = q - y[i];
    gh[2 * i + 1] = Math.max(q * (1 - q), 1e-16);
  }
}
