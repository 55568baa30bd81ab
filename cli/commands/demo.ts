import type { Command } from 'commander';
import { loadProject } from '../../config/project.js';
import { loadSettings } from '../../config/settings.js';
import { connectors } from '../../connectors/index.js';
import { loggerFromEnvironment } from '../../lib/logger.js';
import { territorialCycleWorkflow } from '../../workflows/index.js';
import { projectFileFrom } from '../context.js';
import { cycleResultLines } from '../format.js';
import { parseYear } from '../options.js';

/** `terreze demo`: the whole chain once, on the embedded stack and the real provider files. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'start the Temporal dev server, the provider simulator and a worker, run one reporting cycle, print the results, stop',
    )
    .option('--year <year>', 'reporting year', parseYear, 2023)
    .action(async (options: { year: number }, command: Command) => {
      const projectOption = command.optsWithGlobals().project as string | undefined;
      const settings = loadSettings();
      const logger = loggerFromEnvironment();
      // Check the project file before starting anything; the simulator's real URL comes later.
      loadProject(projectFileFrom(projectOption), connectors, {
        ...process.env,
        TERREZE_SIMULATOR_URL: 'http://127.0.0.1:0',
      });
      // Loaded on use: the embedded stack pulls in the worker, the simulator and Chromium.
      const { startEmbeddedStack } = await import('../embedded-stack.js');
      const stack = await startEmbeddedStack({
        settings,
        projectFile: projectFileFrom(projectOption),
        logger,
      });
      try {
        if (stack.uiUrl) logger.info('Temporal Web UI', { url: stack.uiUrl });
        const workflowId = `${stack.loaded.project.project}/cycle/${options.year}/demo-${Date.now()}`;
        const result = await stack.client.workflow.execute(territorialCycleWorkflow, {
          workflowId,
          taskQueue: settings.taskQueue,
          args: [{ reportingYear: options.year }],
        });
        for (const line of cycleResultLines(result)) process.stdout.write(`${line}\n`);
      } finally {
        await stack.stop();
      }
    });
}
