// How a binary classifier turns its model's probability into an answer: an optional calibrator (Platt or isotonic,
// fitted on held-out rows) and a decision threshold on the calibrated probability of the second class. Plain JSON,
// stored in the pipeline state, applied by every scoring path (the server, batch scoring, the library).

export type CalibratorState =
  | { kind: 'platt'; a: number; b: number }
  | { kind: 'isotonic'; x: number[]; y: number[] };

export interface DecisionState {
  calibrator?: CalibratorState;
  /** predict the second class when its (calibrated) probability is at least this; 0.5 when absent */
  threshold?: number;
  /** how the threshold was chosen (f1, youden, cost:FP,FN) */
  rule?: string;
}

/** Calibrated probability of class 1 for a raw score or probability. */
export function applyCalibrator(state: CalibratorState, s: number): number {
  if (state.kind === 'platt') return 1 / (1 + Math.exp(state.a * s + state.b));
  const { x, y } = state;
  if (s <= x[0]) return y[0];
  if (s >= x[x.length - 1]) return y[y.length - 1];
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= s) lo = mid;
    else hi = mid;
  }
  // linear between the fitted steps, as scikit-learn's IsotonicRegression predicts
  return x[hi] === x[lo] ? y[lo] : y[lo] + ((s - x[lo]) * (y[hi] - y[lo])) / (x[hi] - x[lo]);
}

/**
 * Applies a decision to rows × 2 probabilities in place (calibrating the second class's, the first's is its
 * complement) and returns each row's class index: 1 when p1 >= threshold.
 */
export function decide(decision: DecisionState, probs: Float64Array, rows: number): Uint8Array {
  const out = new Uint8Array(rows);
  const t = decision.threshold ?? 0.5;
  for (let i = 0; i < rows; i++) {
    let p1 = probs[2 * i + 1];
    if (decision.calibrator) {
      p1 = applyCalibrator(decision.calibrator, p1);
      probs[2 * i + 1] = p1;
      probs[2 * i] = 1 - p1;
    }
    out[i] = p1 >= t ? 1 : 0;
  }
  return out;
}
