import { createComputeActivities } from './compute.js';
import type { ActivityDependencies } from './dependencies.js';
import { createPlanActivities } from './plan.js';
import { createRenderActivities } from './render.js';

/** The activities of a reporting cycle: plan, compute the inventory edition, render reports. */
export function createCycleActivities(dependencies: ActivityDependencies) {
  return {
    ...createPlanActivities(dependencies),
    ...createComputeActivities(dependencies),
    ...createRenderActivities(dependencies),
  };
}

export type CycleActivities = ReturnType<typeof createCycleActivities>;
