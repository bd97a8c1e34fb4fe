// A command's help, generated from its one flag declaration: the usage line, what the command does, then every flag
// it parses with its argument and meaning, grouped by section, wrapped to the terminal's usual width.

import type { FlagSpec } from './args.ts';

export interface HelpSpec {
  /** the first line: `keel train <source> --target <column> [options]` (more lines for more forms) */
  usage: string;
  /** what the command does and its subcommands, as written (indented two spaces) */
  about?: string;
  flags: Record<string, FlagSpec>;
  /** lines after the flags */
  footer?: string;
}

const WIDTH = 116;
const COLUMN = 24;

/** Words wrapped to lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

/** One flag's lines: `  --name ARG` then its meaning from column 24, continued there. */
function flagLines(name: string, f: FlagSpec): string[] {
  const shown = f.type === 'boolean' && f.negated ? `--no-${name}` : `--${name}`;
  const head = `  ${shown}${f.arg ? ` ${f.arg}` : ''}${f.repeat ? ' …' : ''}`;
  const text = wrap(f.help, WIDTH - COLUMN);
  const pad = ' '.repeat(COLUMN);
  if (head.length < COLUMN - 1)
    return [`${head.padEnd(COLUMN)}${text[0] ?? ''}`, ...text.slice(1).map((t) => pad + t)];
  return [head, ...text.map((t) => pad + t)];
}

/** A line of the about text, indented two spaces; a long one wrapped, continued under its own indentation. */
function aboutLines(line: string): string[] {
  if (!line) return [''];
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  if (line.length + 2 <= WIDTH) return [`  ${line}`];
  return wrap(line, WIDTH - 2 - indent.length).map((t) => `  ${indent}${t}`);
}

export function renderHelp(spec: HelpSpec): string {
  const lines = [spec.usage, ''];
  if (spec.about) lines.push(...spec.about.split('\n').flatMap(aboutLines), '');
  const sections = new Map<string, string[]>();
  for (const [name, f] of Object.entries(spec.flags)) {
    const key = f.section ?? 'options';
    sections.set(key, [...(sections.get(key) ?? []), ...flagLines(name, f)]);
  }
  for (const [title, body] of sections) lines.push(`${title}:`, ...body, '');
  if (spec.footer) lines.push(...spec.footer.split('\n').map((l) => (l ? `  ${l}` : '')), '');
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
