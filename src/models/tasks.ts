// Shared check that a learner supports the task it is asked to fit.

import { KeelError } from '../core/index.ts';
import { EstimatorErrors, type Task } from '../estimator/index.ts';

export function requireTask(kind: string, tasks: readonly Task[], task: Task): void {
  if (!tasks.includes(task)) {
    throw new KeelError(
      EstimatorErrors.BAD_TASK,
      `${kind} cannot fit a ${task} task (it fits: ${tasks.join(', ')})`,
    );
  }
}
