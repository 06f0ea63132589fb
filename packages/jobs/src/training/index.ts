export { runTrainingJob, registerTrainingWorker } from './job.js';
export {
  DEFAULT_HOLDOUT_FRACTION,
  TrainingError,
  type FoldOptions,
  type FullTrainingOptions,
} from './shared.js';
export { CHECKPOINT_FILE } from './fit.js';
