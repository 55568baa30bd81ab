import { createCollectActivities } from './collect.js';
import { createCycleActivities } from './cycle.js';
import type { ActivityDependencies } from './dependencies.js';

export type { ActivityDependencies } from './dependencies.js';

/** Every activity a terreze worker registers, bound to the worker's project and settings. */
export function createActivities(dependencies: ActivityDependencies) {
  return { ...createCollectActivities(dependencies), ...createCycleActivities(dependencies) };
}
