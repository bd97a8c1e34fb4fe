// flow: jobs that tie the rooms together (the training job now; DAGs, schedules and executors later).
export {
  defaultModels,
  formatMetrics,
  type ModelSpec,
  runTrainJob,
  type TrainedModelResult,
  type TrainJobOptions,
  type TrainJobResult,
} from './train.ts';
export { KEEL_VERSION } from './version.ts';
