// cost: resource meters (CPU-seconds, memory, wall time) for runs and predictions.
export { startMeter, type Meter, type ResourceUsage } from './meter.ts';
