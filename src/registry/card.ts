// Model cards: what a version is, what data and code made it, how well it does overall and by slice, what it is for
// and where it falls short — as Markdown and as a self-contained HTML page.

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
    mv.card.intended_use ?? '_Not written yet: `keel models card <name>@<version> --intended-use "…"`._',
    '',
    '## Limitations',
    '',
    mv.card.limitations ?? '_Not written yet: `keel models card <name>@<version> --limitations "…"`._',
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
  return { markdown: md, html: markdownToHtml(md, `${name} v${version}`) };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Enough Markdown for cards: headings, bullets, tables, inline code and emphasis. Everything is escaped first. */
function markdownToHtml(md: string, title: string): string {
  const inline = (s: string) =>
    escapeHtml(s)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/_([^_]+)_/g, '<em>$1</em>');
  const out: string[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('# ')) out.push(`<h1>${inline(l.slice(2))}</h1>`);
    else if (l.startsWith('## ')) out.push(`<h2>${inline(l.slice(3))}</h2>`);
    else if (l.startsWith('- ')) {
      out.push('<ul>');
      while (i < lines.length && lines[i].startsWith('- '))
        out.push(`<li>${inline(lines[i++].slice(2))}</li>`);
      i--;
      out.push('</ul>');
    } else if (l.startsWith('| ')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i].startsWith('|')) {
        if (!/^\|(-+\|)+$/.test(lines[i]))
          rows.push(
            lines[i]
              .slice(2, -2)
              .split(/ (?<!\\)\| /)
              .map((c) => c.replace(/\\\|/g, '|')),
          );
        i++;
      }
      i--;
      const [head, ...body] = rows;
      out.push(`<table><thead><tr>${head.map((h) => `<th>${inline(h)}</th>`).join('')}</tr></thead><tbody>`);
      for (const r of body) out.push(`<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`);
      out.push('</tbody></table>');
    } else if (l.trim() !== '') out.push(`<p>${inline(l)}</p>`);
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Model card: ${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}
th{background:#f6f8fa}code{background:#f6f8fa;padding:0 .2rem;border-radius:3px}h2{margin-top:1.6rem}</style></head>
<body>${out.join('\n')}</body></html>`;
}
