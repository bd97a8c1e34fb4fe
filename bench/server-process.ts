// A server for a benchmark, as a child process: resolves once it prints "listening on http://host:port".

import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export function startServer(
  cmd: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cmd, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:(\d+))/);
      if (m) resolve({ child, url: m[1], port: Number(m[2]) });
    });
    child.stderr?.on('data', () => {});
    child.on('exit', (c) => reject(new Error(`server exited (${c}): ${out}`)));
  });
}
