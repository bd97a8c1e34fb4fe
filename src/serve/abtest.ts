// A/B comparison that is safe to peek at: a mixture sequential probability ratio test (normal mixture over the
// difference in means, as in "always valid p-values") — the p-value may be read after every observation and the
// chance of ever declaring a difference that is not there stays below alpha.

export interface AbResult {
  arms: { name: string; n: number; mean: number; sd: number }[];
  difference: number;
  /** always-valid p-value (running minimum of 1 / likelihood ratio) */
  pValue: number;
  alpha: number;
  significant: boolean;
  recommendation: string;
}

interface Acc {
  n: number;
  mean: number;
  m2: number;
}

export class SequentialAbTest {
  readonly alpha: number;
  private readonly names: [string, string];
  private readonly acc: [Acc, Acc] = [
    { n: 0, mean: 0, m2: 0 },
    { n: 0, mean: 0, m2: 0 },
  ];
  private pMin = 1;
  private readonly tauFraction: number;
  private readonly higherIsBetter: boolean;

  /** tauFraction: the mixing scale as a fraction of the pooled standard deviation (the effect sizes we care about). */
  constructor(o: { arms: [string, string]; alpha?: number; tauFraction?: number; higherIsBetter?: boolean }) {
    this.names = o.arms;
    this.alpha = o.alpha ?? 0.05;
    this.tauFraction = o.tauFraction ?? 0.1;
    this.higherIsBetter = o.higherIsBetter ?? true;
  }

  add(arm: string, value: number): void {
    const i = this.names.indexOf(arm);
    if (i < 0 || !Number.isFinite(value)) return;
    const a = this.acc[i];
    a.n++;
    const d = value - a.mean;
    a.mean += d / a.n;
    a.m2 += d * (value - a.mean);
    this.update();
  }

  private update(): void {
    const [a, b] = this.acc;
    if (a.n < 2 || b.n < 2) return;
    const pooledVar = (a.m2 + b.m2) / (a.n + b.n - 2);
    if (!(pooledVar > 0)) return;
    const V = pooledVar * (1 / a.n + 1 / b.n);
    const tau2 = this.tauFraction * this.tauFraction * pooledVar;
    const diff = b.mean - a.mean;
    const logLambda = 0.5 * Math.log(V / (V + tau2)) + (tau2 * diff * diff) / (2 * V * (V + tau2));
    this.pMin = Math.min(this.pMin, Math.min(1, Math.exp(-logLambda)));
  }

  result(): AbResult {
    const arms = this.acc.map((a, i) => ({
      name: this.names[i],
      n: a.n,
      mean: a.mean,
      sd: a.n > 1 ? Math.sqrt(a.m2 / (a.n - 1)) : 0,
    }));
    const difference = arms[1].mean - arms[0].mean;
    const significant = this.pMin < this.alpha;
    const better = difference > 0 === this.higherIsBetter ? arms[1].name : arms[0].name;
    const recommendation = significant
      ? `${better} is better (difference ${difference.toPrecision(4)}, always-valid p = ${this.pMin.toPrecision(3)} < ${this.alpha}); ship ${better}`
      : `no significant difference yet (p = ${this.pMin.toPrecision(3)}, ${arms[0].n} vs ${arms[1].n} observations); keep collecting`;
    return { arms, difference, pValue: this.pMin, alpha: this.alpha, significant, recommendation };
  }
}
