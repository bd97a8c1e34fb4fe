// A small argument parser: positionals, --flag, --no-flag, --key value, --key=value, repeatable keys;
// unknown flags are refused so a typo never silently changes a run.

import { KeelError } from '../core/index.ts';
import { CliErrors } from './errors.ts';

/** One flag, declared once: how it parses and how its help reads (the help text is generated from these). */
export interface FlagSpec {
  type: 'string' | 'boolean';
  repeat?: boolean;
  /** the value's placeholder in the help (FILE, N, COL) */
  arg?: string;
  /** what the flag does, one sentence or two */
  help: string;
  /** a boolean that is on by default, shown as --no-NAME */
  negated?: boolean;
  /** the help's heading this flag is listed under (default: options) */
  section?: string;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | string[]>;
}

export function parseArgs(argv: readonly string[], specs: Record<string, FlagSpec>): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean | string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--') || a === '--') {
      positionals.push(a);
      continue;
    }
    let key = a.slice(2);
    let value: string | undefined;
    const eq = key.indexOf('=');
    if (eq >= 0) {
      value = key.slice(eq + 1);
      key = key.slice(0, eq);
    }
    let spec = specs[key];
    if (!spec && key.startsWith('no-') && specs[key.slice(3)]?.type === 'boolean' && value === undefined) {
      flags[key.slice(3)] = false;
      continue;
    }
    if (!spec)
      throw new KeelError(
        CliErrors.USAGE,
        `unknown option --${key} (known: ${Object.keys(specs)
          .map((k) => `--${k}`)
          .join(', ')})`,
      );
    if (spec.type === 'boolean') {
      if (value !== undefined && value !== 'true' && value !== 'false') {
        throw new KeelError(CliErrors.USAGE, `--${key} takes no value`);
      }
      flags[key] = value !== 'false';
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new KeelError(CliErrors.USAGE, `--${key} needs a value`);
    }
    if (spec.repeat) {
      const prev = flags[key];
      flags[key] = Array.isArray(prev) ? [...prev, value] : [value];
    } else flags[key] = value;
    spec = specs[key];
  }
  return { positionals, flags };
}

export function str(args: ParsedArgs, key: string): string | undefined {
  const v = args.flags[key];
  return typeof v === 'string' ? v : undefined;
}

export function bool(args: ParsedArgs, key: string, dflt: boolean): boolean {
  const v = args.flags[key];
  return typeof v === 'boolean' ? v : dflt;
}

export function list(args: ParsedArgs, key: string): string[] {
  const v = args.flags[key];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function num(args: ParsedArgs, key: string, dflt: number): number {
  const v = str(args, key);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new KeelError(CliErrors.USAGE, `--${key} must be a number, got "${v}"`);
  return n;
}
