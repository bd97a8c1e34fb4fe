// Peak memory of this process in MB from /proc/self/status (VmHWM). Not getrusage's maxRSS: Linux keeps that across
// exec, so a child spawned by a big benchmark parent would report the parent's size as its own peak.

import fs from 'node:fs';

export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS / 1024;
}
