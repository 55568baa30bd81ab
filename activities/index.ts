import { createApprovalActivities } from './approval.js';
import { createCollectActivities } from './collect.js';
import { createCycleActivities } from './cycle.js';
import type { ActivityDependencies } from './dependencies.js';
import { createDistributionActivities } from './distribution.js';

export type { ActivityDependencies } from './dependencies.js';

/** Every activity a terreze worker registers, bound to the worker's project and settings. */
export function createActivities(dependencies: ActivityDependencies) {
  return {
    ...createCollectActivities(dependencies),
    ...createCycleActivities(dependencies),
    ...createApprovalActivities(dependencies),
    ...createDistributionActivities(dependencies),
  };
}
