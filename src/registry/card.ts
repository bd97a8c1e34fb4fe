// Model cards: what a version is, what data and code made it, how well it does overall and by slice, what it is for
// and where it falls short — as Markdown and as a self-contained HTML page.

import { Marked } from 'marked';
import { type CardEvaluation, cardFigures, type Figure } from './card-figures.ts';
import type { ModelRegistry, ModelVersion } from './registry.ts';

interface SliceRow {
  column: string;
  value: string;
  rows: number;
  metrics: Record<string, number>;
}

interface ProfileColumn {
  name: string;
  type: string;
  missingPct: number;
  distinct: number;
}

export interface ModelCard {
  markdown: string;
  html: string;
  /** the recorded evaluation the figures are drawn from (null for versions trained before it was recorded) */
  evaluation: CardEvaluation | null;
}

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(5);
  return String(v ?? '');
}

function table(head: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '_none recorded_\n';
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return (
    [
      `| ${head.join(' | ')} |`,
      `|${head.map(() => '---').join('|')}|`,
      ...rows.map((r) => `| ${r.map((c) => esc(fmt(c))).join(' | ')} |`),
    ].join('\n') + '\n'
  );
}

async function readJson<T>(registry: ModelRegistry, mv: ModelVersion, name: string): Promise<T | null> {
  const entry = mv.manifest.find((m) => m.name === name);
  if (!entry) return null;
  try {
    return JSON.parse((await registry.store.readArtifact(entry.sha256)).toString('utf8')) as T;
  } catch {
    return null;
  }
}

export async function modelCard(registry: ModelRegistry, name: string, version: number): Promise<ModelCard> {
  const mv = await registry.get(name, version);
  const run = await registry.store.getRun(mv.runId).catch(() => null);
  const slices = (await readJson<SliceRow[]>(registry, mv, 'slices.json')) ?? [];
  const evaluation = await readJson<CardEvaluation>(registry, mv, 'evaluation.json');
  const primary = mv.task === 'regression' ? 'rmse' : 'roc_auc';
  const profile = await readJson<{ rows: number; columns: ProfileColumn[] }>(registry, mv, 'profile.json');
  const history = (await registry.aliasHistory(name)).filter(
    (e) => e.toVersion === version || e.fromVersion === version,
  );
  const evals = (await registry.evaluations(name)).filter((e) => e.candidateVersion === version);
  const metrics = Object.entries(run?.metrics ?? {}).filter(([k]) => !k.startsWith('system.'));
  const system = Object.entries(run?.metrics ?? {}).filter(([k]) => k.startsWith('system.'));
  const lineage = Object.entries(run?.tags ?? {}).filter(
    ([k]) => k.startsWith('lineage.') || k.startsWith('data_'),
  );
  const md = [
    `# Model card: ${name} version ${version}`,
    '',
    `- Task: ${mv.task ?? 'unknown'}${run?.params.target ? `, target \`${run.params.target}\`` : ''}`,
    `- Model: ${run?.params.model ?? 'unknown'}; registered ${mv.createdAt} by ${mv.createdBy}`,
    `- Aliases: ${mv.aliases.length ? mv.aliases.map((a) => `@${a}`).join(', ') : 'none'}`,
    `- Artifact: \`${mv.artifact}\` sha256 \`${mv.artifactSha256}\` (${mv.artifactSize} bytes); run \`${mv.runId}\``,
    '',
    '## Intended use',
    '',
    // people's own words: markup in them is shown as text (entities), Markdown emphasis still works
    typeof mv.card.intended_use === 'string'
      ? escapeHtml(mv.card.intended_use)
      : '_Not written yet: `keel models card <name>@<version> --intended-use "…"`._',
    '',
    '## Limitations',
    '',
    typeof mv.card.limitations === 'string'
      ? escapeHtml(mv.card.limitations)
      : '_Not written yet: `keel models card <name>@<version> --limitations "…"`._',
    '',
    '## Training data',
    '',
    profile
      ? `${profile.rows} labelled rows, ${profile.columns.length} columns.\n`
      : '_No profile recorded._\n',
    profile
      ? table(
          ['column', 'type', 'missing %', 'distinct'],
          profile.columns.map((c) => [c.name, c.type, c.missingPct, c.distinct]),
        )
      : '',
    '## Lineage',
    '',
    table(['what', 'value'], lineage),
    '## Parameters',
    '',
    table(['param', 'value'], Object.entries(run?.params ?? {})),
    '## Test metrics',
    '',
    table(['metric', 'value'], metrics),
    '## Evaluation on the held-out rows',
    '',
    evaluation
      ? [
          evaluation.confusion && evaluation.classes
            ? `Confusion matrix (rows: true class, columns: predicted):\n\n${table(
                ['', ...evaluation.classes],
                evaluation.confusion.map((r, k) => [evaluation.classes?.[k], ...r]),
              )}`
            : '',
          `Permutation importance (drop in ${evaluation.importance.metric} when the column is shuffled, ${evaluation.importance.rows} rows):\n`,
          table(
            ['column', 'drop'],
            evaluation.importance.columns.slice(0, 20).map((c) => [c.column, c.drop]),
          ),
          'The HTML card (`--format html`) draws the ROC, precision-recall and calibration curves, the confusion matrix,',
          'the importances and the metrics by slice.',
          '',
        ].join('\n')
      : '_Not recorded for this version (trained before evaluations were kept)._\n',
    '## Metrics by slice',
    '',
    table(
      ['column', 'value', 'rows', 'metrics'],
      slices.map((s) => [
        s.column,
        s.value,
        s.rows,
        Object.entries(s.metrics)
          .map(([k, v]) => `${k}=${fmt(v)}`)
          .join(' '),
      ]),
    ),
    '## Cost of training',
    '',
    table(['measure', 'value'], system),
    '## Promotion history',
    '',
    table(
      ['at', 'alias', 'from', 'to', 'by', 'why'],
      history.map((e) => [e.at, `@${e.alias}`, e.fromVersion ?? '—', e.toVersion, e.actor, e.reason]),
    ),
    table(
      ['at', 'alias', 'passed', 'overridden', 'gates'],
      evals.map((e) => [
        e.at,
        `@${e.alias}`,
        e.passed,
        e.overridden,
        e.results.map((r) => `${r.passed ? 'pass' : 'FAIL'} ${r.gate}`).join('; '),
      ]),
    ),
  ].join('\n');
  const figures = cardFigures(evaluation, slices, primary);
  return { markdown: md, html: markdownToHtml(md, `${name} v${version}`, figures), evaluation };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Markdown through a maintained CommonMark renderer; raw HTML in the text (a user's card fields) is shown, not run. */
const markdown = new Marked({ gfm: true, renderer: { html: (token) => escapeHtml(token.text) } });

function markdownToHtml(md: string, title: string, figures: Figure[]): string {
  const body = markdown.parse(md, { async: false }) as string;
  const plots = figures.length
    ? `<h2>Figures</h2>\n${figures.map((f) => `<figure><figcaption>${escapeHtml(f.title)}</figcaption>\n${f.svg}</figure>`).join('\n')}`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Model card: ${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}
th{background:#f6f8fa}code{background:#f6f8fa;padding:0 .2rem;border-radius:3px}h2{margin-top:1.6rem}
figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}svg{font-family:system-ui,sans-serif}</style></head>
<body>${body}\n${plots}</body></html>`;
}
