// Lineage captured automatically for every run: code (git commit and a hash of uncommitted changes), dependencies
// (lockfile hash), runtime (Keel, Node), the command line, the host, the seed, the parent run and the data.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redactHeader, redactSecrets } from '../core/index.ts';

export interface LineageInput {
  keelVersion: string;
  seed?: number;
  parentRunId?: string;
  /** content ids of the datasets the run read */
  dataIds?: string[];
  /** where the code lives (default: the current directory) */
  cwd?: string;
  argv?: readonly string[];
}

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return null;
  }
}

/** Values that look like secrets on the command line are replaced, never recorded. */
export function redactArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  let hideNext = false;
  let headerNext = false;
  for (const a of argv) {
    if (hideNext) {
      out.push('***');
      hideNext = false;
      continue;
    }
    if (headerNext) {
      out.push(redactHeader(a));
      headerNext = false;
      continue;
    }
    if (/^--?[\w-]*header$/i.test(a)) {
      out.push(a);
      headerNext = true;
    } else if (/^--?[\w-]*header=/i.test(a)) {
      out.push(`${a.slice(0, a.indexOf('=') + 1)}${redactHeader(a.slice(a.indexOf('=') + 1))}`);
    } else if (/^--?[\w-]*(password|secret|token|key)[\w-]*$/i.test(a)) {
      out.push(a);
      hideNext = true;
    } else if (/^--?[\w-]*(password|secret|token|key)[\w-]*=/i.test(a)) {
      out.push(`${a.slice(0, a.indexOf('='))}=***`);
    } else {
      out.push(redactSecrets(a));
    }
  }
  return out;
}

/** Tags (prefixed `lineage.`) describing where a run came from. */
export function captureLineage(o: LineageInput): Record<string, string> {
  const cwd = o.cwd ?? process.cwd();
  const tags: Record<string, string> = {
    'lineage.keel_version': o.keelVersion,
    'lineage.node_version': process.version,
    'lineage.host': os.hostname(),
    'lineage.command': redactArgs(o.argv ?? process.argv.slice(1)).join(' '),
  };
  const commit = git(['rev-parse', 'HEAD'], cwd)?.trim();
  if (commit) {
    tags['lineage.git_commit'] = commit;
    const diff = git(['diff', 'HEAD', '--binary'], cwd) ?? '';
    const untracked = git(['ls-files', '--others', '--exclude-standard'], cwd) ?? '';
    tags['lineage.git_dirty'] = diff || untracked ? 'true' : 'false';
    if (diff || untracked)
      tags['lineage.git_changes_sha256'] = createHash('sha256')
        .update(diff)
        .update('\0')
        .update(untracked)
        .digest('hex');
  }
  const root = git(['rev-parse', '--show-toplevel'], cwd)?.trim() ?? cwd;
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(lock))
    tags['lineage.lockfile_sha256'] = createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
  if (o.seed !== undefined) tags['lineage.seed'] = String(o.seed);
  if (o.parentRunId) tags['lineage.parent_run'] = o.parentRunId;
  if (o.dataIds?.length) tags['lineage.data'] = o.dataIds.join(',');
  return tags;
}
