import type { ActivityDependencies } from '../activities/dependencies.js';
import type { EditionManifest } from '../activities/editions.js';
import type { RenderedReport, RenderReportsInput } from '../workflows/types.js';

export interface RenderEditionReportsOptions {
  dependencies: ActivityDependencies;
  edition: EditionManifest;
  input: RenderReportsInput;
  heartbeat(details: unknown): void;
}

/** Renders the project's reports for one inventory edition. */
export async function renderEditionReports(
  _options: RenderEditionReportsOptions,
): Promise<RenderedReport[]> {
  throw new Error('report rendering is being wired to the notebook engine');
}
