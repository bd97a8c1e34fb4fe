// Entry of a shadow worker thread: takes the lowest CPU priority first (so loading the model and everything after it
// is best-effort), registers the TypeScript loader, then runs shadow-worker-main.ts.
import fs from 'node:fs';
import os from 'node:os';
import { register } from 'tsx/esm/api';

// Linux lets a thread's nice value be set through its own id, read from /proc/thread-self; elsewhere the thread keeps
// the normal priority (shadow-worker-main.ts reports which).
try {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) os.setPriority(tid, 19);
} catch {}

register();
await import('./shadow-worker-main.ts');
