// The model card's figures as inline SVG, drawn from the numbers a training run recorded (evaluation.json,
// slices.json): ROC and precision-recall curves, a reliability diagram, the confusion matrix, permutation importance
// and the primary metric by slice. Text is escaped; sizes are fixed so the page needs no script and no stylesheet.

/** The held-out evaluation a training run records (evaluation.json, written by flow/evaluation.ts). */
export interface CardEvaluation {
  task: string;
  /** binary: at most ~200 points each */
  classes: string[] | null;
  roc?: { fpr: number[]; tpr: number[] };
  pr?: { recall: number[]; precision: number[] };
  calibration?: { meanPredicted: number[]; fractionPositive: number[]; counts: number[] };
  /** classification: rows = true class, columns = predicted, in `classes` order */
  confusion?: number[][];
  /** the primary metric's drop when each input column is shuffled (largest first), on at most 5,000 rows */
  importance: { metric: string; rows: number; columns: { column: string; drop: number }[] };
}

export interface CardSlice {
  column: string;
  value: string;
  rows: number;
  metrics: Record<string, number>;
}

export interface Figure {
  title: string;
  svg: string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : 0);

/** A unit-square line chart (both axes 0..1) with an optional dashed reference line. */
function lineChart(
  title: string,
  xLabel: string,
  yLabel: string,
  xs: number[],
  ys: number[],
  diagonal: boolean,
): string {
  const W = 320;
  const H = 280;
  const L = 44;
  const B = 36;
  const px = (x: number) => L + x * (W - L - 10);
  const py = (y: number) => H - B - y * (H - B - 10);
  const pts = xs.map((x, i) => `${num(px(x))},${num(py(ys[i]))}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<text x="${px(t)}" y="${H - B + 14}" font-size="10" text-anchor="middle">${t}</text>` +
        `<text x="${L - 6}" y="${py(t) + 3}" font-size="10" text-anchor="end">${t}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">
<rect x="${L}" y="10" width="${W - L - 10}" height="${H - B - 10}" fill="none" stroke="#d0d7de"/>${ticks}
${diagonal ? `<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" stroke="#8c959f" stroke-dasharray="4 3"/>` : ''}
<polyline points="${pts}" fill="none" stroke="#0969da" stroke-width="2"/>
<text x="${(L + W) / 2}" y="${H - 6}" font-size="11" text-anchor="middle">${esc(xLabel)}</text>
<text x="12" y="${(H - B) / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${(H - B) / 2})">${esc(yLabel)}</text>
</svg>`;
}

/** Horizontal bars, one per labelled value (negative values drawn left of the axis). */
function barChart(title: string, items: { label: string; value: number }[], unit: string): string {
  const W = 560;
  const row = 18;
  const H = 24 + items.length * row;
  const L = 200;
  const max = Math.max(1e-12, ...items.map((i) => Math.abs(i.value)));
  const scale = (W - L - 70) / max;
  const bars = items
    .map((it, k) => {
      const y = 12 + k * row;
      const w = Math.abs(it.value) * scale;
      const x = it.value >= 0 ? L : L - w;
      return (
        `<text x="${L - 6}" y="${y + 12}" font-size="11" text-anchor="end">${esc(it.label.slice(0, 32))}</text>` +
        `<rect x="${num(x)}" y="${y + 2}" width="${num(Math.max(w, 0.5))}" height="${row - 5}" fill="${it.value >= 0 ? '#0969da' : '#cf222e'}"/>` +
        `<text x="${num(L + Math.max(0, it.value) * scale + 4)}" y="${y + 12}" font-size="10">${num(it.value)}</text>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(title)} (${esc(unit)})">
<line x1="${L}" y1="8" x2="${L}" y2="${H - 6}" stroke="#8c959f"/>${bars}</svg>`;
}

/** The confusion matrix as shaded cells with counts (rows: true class, columns: predicted). */
function confusionChart(classes: string[], m: number[][]): string {
  const cell = 56;
  const L = 110;
  const T = 40;
  const K = classes.length;
  const max = Math.max(1, ...m.flat());
  const cells = m
    .flatMap((row, r) =>
      row.map((v, c) => {
        const shade = Math.round(245 - (200 * v) / max);
        return (
          `<rect x="${L + c * cell}" y="${T + r * cell}" width="${cell}" height="${cell}" fill="rgb(${shade},${Math.min(shade + 5, 255)},255)" stroke="#fff"/>` +
          `<text x="${L + c * cell + cell / 2}" y="${T + r * cell + cell / 2 + 4}" font-size="11" text-anchor="middle" fill="${shade < 140 ? '#fff' : '#1b1f24'}">${v}</text>`
        );
      }),
    )
    .join('');
  const labels = classes
    .map(
      (c, k) =>
        `<text x="${L - 6}" y="${T + k * cell + cell / 2 + 4}" font-size="11" text-anchor="end">${esc(c.slice(0, 14))}</text>` +
        `<text x="${L + k * cell + cell / 2}" y="${T - 8}" font-size="11" text-anchor="middle">${esc(c.slice(0, 8))}</text>`,
    )
    .join('');
  const W = L + K * cell + 10;
  const H = T + K * cell + 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="confusion matrix">
<text x="${L + (K * cell) / 2}" y="14" font-size="11" text-anchor="middle">predicted</text>${labels}${cells}
<text x="${L + (K * cell) / 2}" y="${H - 6}" font-size="11" text-anchor="middle">rows: true class</text></svg>`;
}

/** Every figure the recorded numbers allow. */
export function cardFigures(e: CardEvaluation | null, slices: CardSlice[], metric: string): Figure[] {
  const out: Figure[] = [];
  if (e?.roc)
    out.push({
      title: 'ROC curve',
      svg: lineChart('ROC curve', 'false positive rate', 'true positive rate', e.roc.fpr, e.roc.tpr, true),
    });
  if (e?.pr)
    out.push({
      title: 'Precision-recall curve',
      svg: lineChart('Precision-recall curve', 'recall', 'precision', e.pr.recall, e.pr.precision, false),
    });
  if (e?.calibration && e.calibration.meanPredicted.length > 1)
    out.push({
      title: 'Calibration (reliability diagram)',
      svg: lineChart(
        'Calibration',
        'mean predicted probability',
        'fraction positive',
        e.calibration.meanPredicted,
        e.calibration.fractionPositive,
        true,
      ),
    });
  if (e?.confusion && e.classes)
    out.push({ title: 'Confusion matrix', svg: confusionChart(e.classes, e.confusion) });
  if (e && e.importance.columns.length > 0)
    out.push({
      title: `Permutation importance (drop in ${e.importance.metric} on ${e.importance.rows} held-out rows)`,
      svg: barChart(
        'Permutation importance',
        e.importance.columns.slice(0, 20).map((c) => ({ label: c.column, value: c.drop })),
        e.importance.metric,
      ),
    });
  const bySlice = slices.filter((s) => Number.isFinite(s.metrics[metric])).slice(0, 24);
  if (bySlice.length > 0)
    out.push({
      title: `${metric} by slice`,
      svg: barChart(
        `${metric} by slice`,
        bySlice.map((s) => ({ label: `${s.column}=${s.value} (${s.rows})`, value: s.metrics[metric] })),
        metric,
      ),
    });
  return out;
}
