// The quality report: one JSON document (counts, verdict, quarantine, expectations, schema, profile) and the same as
// a self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched).

import { type QuarantineRecord, quarantineRecord } from '../errors.ts';
import type { SourceDescription } from '../sources/source.ts';
import type { CheckResult } from './check.ts';
import type { ExpectationResult } from './expectations.ts';
import type { DatasetProfile } from './profile.ts';
import type { DatasetSchema } from './rules.ts';

export interface QualityReport {
  source: SourceDescription;
  generatedAt: string;
  rows: { read: number; accepted: number; quarantined: number };
  badRowRate: number;
  maxBadRowRate: number;
  passed: boolean;
  failures: string[];
  warnings: string[];
  quarantineByReason: Record<string, number>;
  /** every quarantined problem, in the one record shape of every output (code: the stable code; reason: for people) */
  quarantine: QuarantineRecord[];
  expectations: ExpectationResult[];
  schema: DatasetSchema;
  profile?: DatasetProfile;
}

export function buildReport(
  source: SourceDescription,
  check: CheckResult,
  schema: DatasetSchema,
  profile?: DatasetProfile,
  now = new Date(),
): QualityReport {
  const byReason: Record<string, number> = {};
  for (const q of check.quarantine) byReason[q.code] = (byReason[q.code] ?? 0) + 1;
  return {
    source,
    generatedAt: now.toISOString(),
    rows: check.rows,
    badRowRate: check.badRowRate,
    maxBadRowRate: check.maxBadRowRate,
    passed: check.passed,
    failures: check.failures,
    warnings: check.warnings,
    quarantineByReason: byReason,
    quarantine: check.quarantine.map(quarantineRecord),
    expectations: check.expectations,
    schema,
    ...(profile ? { profile } : {}),
  };
}

const esc = (s: unknown) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const fmt = (v: number | undefined | null) =>
  v === undefined || v === null || Number.isNaN(v)
    ? ''
    : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3)
      ? v.toExponential(3)
      : String(Math.round(v * 1000) / 1000);

function bars(counts: number[], labels?: string[]): string {
  const w = 160;
  const h = 40;
  const max = Math.max(1, ...counts);
  const bw = w / Math.max(1, counts.length);
  const rects = counts
    .map((c, i) => {
      const bh = (c / max) * h;
      const title = labels ? `${labels[i]}: ${c}` : String(c);
      return `<rect x="${(i * bw).toFixed(1)}" y="${(h - bh).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}"><title>${esc(title)}</title></rect>`;
    })
    .join('');
  return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img">${rects}</svg>`;
}

export function reportHtml(r: QualityReport): string {
  const verdict = r.passed ? '<span class="ok">PASSED</span>' : '<span class="bad">FAILED</span>';
  const list = (items: string[], cls: string) =>
    items.length ? `<ul class="${cls}">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : '';
  const reasons = Object.entries(r.quarantineByReason)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `<tr><td>${esc(k)}</td><td>${n}</td></tr>`)
    .join('');
  const quarantine = r.quarantine
    .slice(0, 500)
    .map(
      (q) =>
        `<tr><td>${q.line}</td><td>${esc(q.column ?? '')}</td><td>${esc(q.code)}</td><td>${esc(q.reason)}</td><td><code>${esc(q.raw.slice(0, 160))}</code></td></tr>`,
    )
    .join('');
  const expectations = r.expectations
    .map(
      (e) =>
        `<tr class="${e.passed ? '' : e.severity === 'fail' ? 'bad' : 'warn'}"><td>${esc(e.name)}</td><td>${e.severity}</td><td>${e.passed ? 'yes' : 'no'}</td><td>${fmt(e.observed)}</td><td>${esc(e.expected)}</td></tr>`,
    )
    .join('');
  const columns = (r.profile?.columns ?? [])
    .map((c) => {
      const stats =
        c.type === 'categorical'
          ? `${c.distinct} distinct`
          : `min ${fmt(c.min)} · mean ${fmt(c.mean)} · max ${fmt(c.max)}${c.outliers ? ` · outliers IQR ${c.outliers.iqr}, robust z ${c.outliers.robustZ}` : ''}`;
      const target = c.target ? `${c.target.method} ${fmt(c.target.value)}` : '';
      return `<tr><td>${esc(c.name)}</td><td>${c.type}</td><td>${fmt(c.missingPct)}%</td><td>${esc(stats)}</td><td>${target}</td><td>${bars(c.histogram.counts, c.histogram.labels)}</td></tr>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keel data quality: ${esc(r.source.location)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}
.ok{color:#11751d;font-weight:bold}.bad{color:#b00020;font-weight:bold}tr.bad{background:#fde8ea}tr.warn{background:#fff6dd}
svg rect{fill:#4a78b5}code{font-size:12px}
</style></head><body>
<h1>Data quality ${verdict}</h1>
<p>Source: <code>${esc(r.source.kind)}</code> ${esc(r.source.location)} · generated ${esc(r.generatedAt)}</p>
<p>Rows read <b>${r.rows.read}</b> = accepted <b>${r.rows.accepted}</b> + quarantined <b>${r.rows.quarantined}</b>
(${(100 * r.badRowRate).toFixed(3)}% bad; limit ${100 * r.maxBadRowRate}%)${r.profile ? ` · duplicate rows ${r.profile.duplicateRows}` : ''}</p>
${list(r.failures, 'bad')}${list(r.warnings, 'warn')}
<h2>Expectations</h2><table><tr><th>expectation</th><th>severity</th><th>passed</th><th>observed</th><th>expected</th></tr>${expectations}</table>
<h2>Quarantine by reason</h2><table><tr><th>reason</th><th>rows</th></tr>${reasons}</table>
<h2>Columns</h2><table><tr><th>column</th><th>type</th><th>missing</th><th>summary</th><th>target</th><th>distribution</th></tr>${columns}</table>
<h2>Quarantined rows${r.quarantine.length > 500 ? ' (first 500)' : ''}</h2>
<table><tr><th>line</th><th>column</th><th>code</th><th>reason</th><th>raw</th></tr>${quarantine}</table>
</body></html>
`;
}
