// cost: resource meters (CPU-seconds, memory, wall time) for runs and predictions.
export { type Meter, type ResourceUsage, startMeter } from './meter.ts';
