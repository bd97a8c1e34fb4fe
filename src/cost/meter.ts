// Resource meter: wall time, CPU-seconds (user + system) and peak resident memory of a piece of work.

export interface ResourceUsage {
  wall_seconds: number;
  cpu_seconds: number;
  /** the process's peak resident set so far, in MiB (a high-water mark, not this work alone) */
  peak_rss_mb: number;
}

export interface Meter {
  stop(): ResourceUsage;
}

export function startMeter(): Meter {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  return {
    stop(): ResourceUsage {
      const cpu = process.cpuUsage(c0);
      return {
        wall_seconds: Number(process.hrtime.bigint() - t0) / 1e9,
        cpu_seconds: (cpu.user + cpu.system) / 1e6,
        peak_rss_mb: process.resourceUsage().maxRSS / 1024,
      };
    },
  };
}
