import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { StagedPartition } from '../workflows/types.js';

/**
 * The staged files that fetches of this worker produced, so that a worker stopped in the middle
 * of a cycle (the demo on Ctrl-C) removes those that no landing moved into the lake. A fetch that
 * is cancelled removes its own; a fetched partition waiting for validation or landing when its
 * workflow is terminated has nobody else to remove it.
 */
export interface StagedFileTracker {
  interceptor: ActivityInterceptorsFactory;
  /** Removes the tracked files still in the staging folder; returns their paths. */
  removeLeftovers(): Promise<string[]>;
}

export function createStagedFileTracker(): StagedFileTracker {
  const staged = new Set<string>();

  const interceptor: ActivityInterceptorsFactory = (context) => ({
    inbound: {
      execute: async (input, next) => {
        const result = await next(input);
        if (context.info.activityType === 'fetchSource') {
          const partition = result as StagedPartition;
          staged.add(partition.stagingFile);
          if (partition.quarantine) staged.add(partition.quarantine.stagingFile);
        }
        return result;
      },
    },
  });

  async function removeLeftovers(): Promise<string[]> {
    // Landed files were moved out of the staging folder: what still exists is left over.
    const leftovers = [...staged].filter((file) => existsSync(file));
    await Promise.all(leftovers.map((file) => rm(file, { force: true })));
    staged.clear();
    return leftovers;
  }

  return { interceptor, removeLeftovers };
}
