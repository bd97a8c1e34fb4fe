// Promotion gates: typed predicates over the candidate version and the alias's current holder. Each result carries its
// evidence (the numbers it compared) so the decision can be audited later. Specs are short strings so policies store.

import { KeelError } from '../core/index.ts';
import { RegistryErrors } from './errors.ts';

export interface VersionEvidence {
  name: string;
  version: number;
  task: string | null;
  metrics: Record<string, number>;
  /** total bytes of the version's artifacts */
  sizeBytes: number;
}

export interface GateResult {
  gate: string;
  passed: boolean;
  message: string;
  evidence: Record<string, number | string | null>;
}

export interface Gate {
  /** the spec string this gate parses from and serialises to */
  spec: string;
  evaluate(candidate: VersionEvidence, incumbent: VersionEvidence | null): GateResult;
}

const LOWER_IS_BETTER =
  /(^|[._])(rmse|mse|mae|mape|log_loss|brier|loss|error|deviance|latency|seconds|ms)([._]|$)/;

export function lowerIsBetter(metric: string): boolean {
  return LOWER_IS_BETTER.test(metric);
}

function metricOf(e: VersionEvidence, key: string): number | null {
  const v = e.metrics[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A metric compared with a fixed bound, e.g. `roc_auc>=0.9`, `rmse<=3.5`. */
export function metricBound(key: string, op: '>=' | '<=' | '>' | '<', bound: number): Gate {
  const spec = `${key}${op}${bound}`;
  return {
    spec,
    evaluate(c): GateResult {
      const v = metricOf(c, key);
      const passed =
        v !== null &&
        (op === '>=' ? v >= bound : op === '<=' ? v <= bound : op === '>' ? v > bound : v < bound);
      return {
        gate: spec,
        passed,
        message:
          v === null
            ? `candidate has no metric ${key}`
            : `${key} = ${v} ${passed ? 'meets' : 'fails'} ${op} ${bound}`,
        evidence: { candidate: v, bound },
      };
    },
  };
}

/** The candidate must beat the alias's current holder on a metric by at least minDelta (passes when there is none). */
export function beatsIncumbent(key: string, minDelta = 0, direction?: 'higher' | 'lower'): Gate {
  const lower = direction ? direction === 'lower' : lowerIsBetter(key);
  const spec = `beats:${key}${minDelta ? `+${minDelta}` : ''}${direction ? `:${direction}` : ''}`;
  return {
    spec,
    evaluate(c, inc): GateResult {
      const v = metricOf(c, key);
      if (!inc)
        return {
          gate: spec,
          passed: v !== null,
          message: v === null ? `candidate has no metric ${key}` : 'no current holder: nothing to beat',
          evidence: { candidate: v, incumbent: null },
        };
      const w = metricOf(inc, key);
      if (v === null || w === null) {
        return {
          gate: spec,
          passed: false,
          message: `${key} missing on ${v === null ? 'the candidate' : 'the current holder'}`,
          evidence: { candidate: v, incumbent: w },
        };
      }
      const gain = lower ? w - v : v - w;
      const passed = gain > 0 && gain >= minDelta;
      return {
        gate: spec,
        passed,
        message: `${key}: candidate ${v} vs v${inc.version} ${w} (${lower ? 'lower' : 'higher'} is better, gain ${gain.toPrecision(4)}, needed > ${minDelta > 0 ? `${minDelta}` : '0'})`,
        evidence: { candidate: v, incumbent: w, incumbent_version: inc.version, gain, min_delta: minDelta },
      };
    },
  };
}

/** Artifact size limit, e.g. `size<=10MB`. */
export function maxSize(bytes: number, spec = `size<=${bytes}`): Gate {
  return {
    spec,
    evaluate(c): GateResult {
      const passed = c.sizeBytes <= bytes;
      return {
        gate: spec,
        passed,
        message: `artifacts total ${c.sizeBytes} bytes (limit ${bytes})`,
        evidence: { candidate: c.sizeBytes, bound: bytes },
      };
    },
  };
}

const UNITS: Record<string, number> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
/** Short names for the usual evidence metrics. */
const ALIASES: Record<string, string> = {
  latency: 'predict_ms_per_1k_rows',
  cost: 'system.cpu_seconds',
  cpu: 'system.cpu_seconds',
};

/** Parse a gate spec: `roc_auc>=0.9`, `beats:roc_auc`, `beats:rmse+0.5`, `size<=10MB`, `latency<=50`, `cost<=120`. */
export function parseGate(spec: string): Gate {
  const s = spec.trim();
  const bad = (): never => {
    throw new KeelError(
      RegistryErrors.BAD_GATE,
      `cannot read gate "${spec}" (examples: roc_auc>=0.9, beats:roc_auc, beats:rmse+0.5, size<=10MB, latency<=50, cost<=120)`,
    );
  };
  let m = s.match(/^beats:([\w.\-/]+?)(?:\+([\d.eE-]+))?(?::(higher|lower))?$/);
  if (m) {
    const delta = m[2] === undefined ? 0 : Number(m[2]);
    if (!Number.isFinite(delta) || delta < 0) bad();
    return beatsIncumbent(m[1], delta, m[3] as 'higher' | 'lower' | undefined);
  }
  m = s.match(/^size\s*<=\s*([\d.]+)\s*(B|KB|MB|GB)?$/i);
  if (m) return maxSize(Number(m[1]) * (UNITS[(m[2] ?? '').toUpperCase()] ?? bad()), s);
  m = s.match(/^([\w.\-/]+)\s*(>=|<=|>|<)\s*([-+]?[\d.]+(?:[eE][-+]?\d+)?)$/);
  if (m) {
    const bound = Number(m[3]);
    if (!Number.isFinite(bound)) bad();
    const g = metricBound(ALIASES[m[1]] ?? m[1], m[2] as '>=' | '<=' | '>' | '<', bound);
    return { spec: s, evaluate: g.evaluate };
  }
  return bad();
}
