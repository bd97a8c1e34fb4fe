/**
 * cost: resource meters (CPU-seconds, memory, wall time) for runs and predictions.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/cost.ts}
 *
 * @module keel/cost
 */
export { type Meter, type ResourceUsage, startMeter } from './meter.ts';
