// First thing a shadow worker thread does: take the lowest CPU priority, so loading the model and everything after it
// is best-effort and even a shadow stuck in a loop leaves the cores to the primary when they are contended.

import fs from 'node:fs';
import os from 'node:os';

/** This thread's id in the OS (Linux, from /proc/thread-self), or null: its priority and CPU time are read by it. */
function ownThreadId(): number | null {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 && tid !== process.pid ? tid : null;
  } catch {
    return null;
  }
}

export const osThreadId = ownThreadId();

/** Linux lets a thread's nice value be set through its own id; elsewhere it stays normal. */
function lowerPriority(): boolean {
  try {
    const tid = osThreadId;
    if (tid === null) return false;
    os.setPriority(tid, 19);
    return os.getPriority(tid) >= 19;
  } catch {
    return false;
  }
}

/** whether this thread now runs at the lowest priority */
export const lowered = lowerPriority();
