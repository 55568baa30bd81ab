import { LakeError } from '../lib/errors.js';
import { renderEditionReports } from '../reports/render.js';
import type { RenderedReport, RenderReportsInput } from '../workflows/types.js';
import { type ActivityDependencies, projectPaths } from './dependencies.js';
import { readEditionManifest } from './editions.js';
import { withFailureDecision } from './failures.js';
import { activityContext } from './heartbeat.js';

/** Renders the reports of an inventory edition, each for each of its audiences. */
export function createRenderActivities(dependencies: ActivityDependencies) {
  async function renderReports(input: RenderReportsInput): Promise<RenderedReport[]> {
    const edition = await readEditionManifest(input.editionDir);
    if (edition === undefined) {
      throw new LakeError(`edition ${input.editionId} has no manifest in ${input.editionDir}`, {
        ...input,
      });
    }
    return renderEditionReports({
      loaded: dependencies.loaded,
      edition,
      databaseFile: input.databaseFile,
      editionsDir: projectPaths(dependencies).editions,
      reportIds: input.reportIds,
      chromiumPath: dependencies.settings.chromiumPath,
      logger: dependencies.logger,
      heartbeat: activityContext().heartbeat,
    });
  }

  return { renderReports: withFailureDecision(renderReports) };
}
