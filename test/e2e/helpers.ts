// Helpers for whole-system tests: run the real `keel` command as a child process.

import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const KEEL = path.join(ROOT, 'bin/keel.mjs');

export interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run keel to completion. */
export function keel(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KEEL, ...args], {
      cwd: options.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`keel ${args.join(' ')} timed out\n${stderr}`));
    }, options.timeoutMs ?? 180_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Start keel and wait until a line on stdout or stderr matches; the caller ends the process. */
export function keelUntil(
  args: string[],
  pattern: RegExp,
  timeoutMs = 180_000,
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KEEL, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let all = '';
    let settled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ${pattern} from keel ${args.join(' ')} in time:\n${all}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      all += d.toString();
      const m = all.match(pattern);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, match: m, output: () => all });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (!settled) {
        clearTimeout(timer);
        reject(new Error(`keel ${args.join(' ')} exited with ${code} before ${pattern}:\n${all}`));
      }
    });
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}
