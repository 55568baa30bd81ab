import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Command } from 'commander';
import { loadProject } from '../../config/project.js';
import { loadSettings, type Settings } from '../../config/settings.js';
import { connectors } from '../../connectors/index.js';
import { errorMessage } from '../../lib/errors.js';
import { acquireLockFile, restoreStaleLock } from '../../lib/lock-file.js';
import { type Logger, loggerFromEnvironment } from '../../lib/logger.js';
import { UsageError } from '../../temporal/errors.js';
import { territorialCycleWorkflow } from '../../workflows/index.js';
import type { CycleResult } from '../../workflows/types.js';
import { projectFileFrom } from '../context.js';
import type { EmbeddedStack } from '../embedded-stack.js';
import { cycleResultLines } from '../format.js';
import { InterruptedError, type Interruption, watchInterruption } from '../interruption.js';
import { parseYear } from '../options.js';
import { failedSourcesError, workflowRunError } from '../workflow-failure.js';

/** The mark in the workflow ids of demo cycles. */
const demoMark = '/demo-';

// TODO(lake): a demo killed outright (SIGKILL) leaves the files it staged in lake/.staging; no
// process removes staged files that no running collection owns.

/** Another demo runs on the same home folder: its dev server, lake and editions. */
export class DemoRunningError extends UsageError {}

/**
 * Takes the home folder for this demo. A demo whose lock is stale was killed before it could
 * stop its cycle: that cycle, named in its lock, is the one to end, and no other (a demo of
 * another home may run on the same cluster).
 */
async function lockHomeForDemo(settings: Settings, workflowId: string) {
  const file = join(settings.homeDir, 'demo.lock');
  const outcome = await acquireLockFile(file, 'demo', { workflowId });
  if ('heldBy' in outcome) {
    throw new DemoRunningError(
      `another demo (pid ${outcome.heldBy.pids[0]}) is running on ${settings.homeDir}; stop it, ` +
        'or give this one another TERREZE_HOME',
      { homeDir: settings.homeDir, holder: outcome.heldBy },
    );
  }
  const stale = outcome.staleRecord;
  const left = stale?.details.workflowId;
  const killedDemo =
    stale !== undefined && typeof left === 'string'
      ? { workflowId: left, ended: false }
      : undefined;
  return {
    killedDemo,
    async release() {
      outcome.acquired.release();
      // Stopped before it could end the killed demo's cycle (its dev server still held the
      // database, say): the next demo finds that cycle named again.
      if (stale !== undefined && killedDemo?.ended === false) await restoreStaleLock(file, stale);
    },
  };
}

/** Ends the cycle a killed demo left running, so that this demo's worker does not take it up. */
async function endKilledDemoCycle(
  client: Client,
  killedDemo: { workflowId: string; ended: boolean },
  logger: Logger,
) {
  const handle = client.workflow.getHandle(killedDemo.workflowId);
  const description = await handle.describe().catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  });
  if (description?.status.name === 'RUNNING') {
    // Its collections are child workflows: they end with it.
    await handle.terminate('its demo was killed before it could stop it; a new demo started');
    logger.warn('ended the cycle of a demo that was killed', { workflowId: killedDemo.workflowId });
  }
  killedDemo.ended = true;
}

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
      const projectName = loadProject(projectFileFrom(projectOption), connectors, {
        ...process.env,
        TERREZE_SIMULATOR_URL: 'http://127.0.0.1:0',
      }).project.project;
      // A workflow id of its own per run: a demo never follows, nor resumes, an earlier one.
      const workflowId = `${projectName}/cycle/${options.year}${demoMark}${randomUUID()}`;
      // Listening before the lock is taken: a Ctrl-C from now on goes through the release.
      const interruption = watchInterruption((signal) =>
        logger.warn('demo interrupted: stopping its cycle, the worker, the simulator, Temporal', {
          signal,
        }),
      );
      try {
        const lock = await lockHomeForDemo(settings, workflowId);
        try {
          await runDemo({
            settings,
            logger,
            projectOption,
            workflowId,
            year: options.year,
            killedDemo: lock.killedDemo,
            interruption,
          });
        } finally {
          await lock.release();
        }
      } finally {
        interruption.dispose();
      }
    });
}

interface DemoOptions {
  settings: Settings;
  logger: Logger;
  projectOption: string | undefined;
  workflowId: string;
  year: number;
  killedDemo: { workflowId: string; ended: boolean } | undefined;
  interruption: Interruption;
}

/** The demo once its home folder is locked: start the stack, run the cycle, stop, report. */
async function runDemo(options: DemoOptions): Promise<void> {
  const { settings, logger, projectOption, workflowId, interruption } = options;

  // Loaded on use: the embedded stack pulls in the worker, the simulator and Chromium.
  const { startEmbeddedStack } = await import('../embedded-stack.js');
  const stack = await startEmbeddedStack({
    settings,
    projectFile: projectFileFrom(projectOption),
    logger,
    // Interrupted, the demo does not wait for running activities: their cycle is ended.
    shutdownGraceMs: 1_000,
    role: 'demo',
    beforeWorker: async (client) => {
      if (options.killedDemo) await endKilledDemoCycle(client, options.killedDemo, logger);
    },
  });
  // A signal during the start-up is handled once everything started, before any cycle.
  const startedCycle = interruption.signal() === undefined;
  let result: CycleResult | undefined;
  try {
    if (stack.uiUrl) logger.info('Temporal Web UI', { url: stack.uiUrl });
    if (startedCycle) {
      result = await runDemoCycle({
        stack,
        settings,
        logger,
        year: options.year,
        workflowId,
        interruption,
      });
    }
  } finally {
    await stack.stop();
  }

  if (result !== undefined) {
    for (const line of cycleResultLines(result)) process.stdout.write(`${line}\n`);
  }
  const signal = interruption.signal();
  if (signal !== undefined) {
    const cycle =
      result !== undefined
        ? 'its cycle had finished'
        : startedCycle
          ? 'its cycle was terminated'
          : 'before its cycle started';
    throw new InterruptedError(
      signal,
      `demo interrupted by ${signal}: ${cycle}; the worker, the simulator and the Temporal ` +
        'dev server are stopped',
    );
  }
  const failed = result && failedSourcesError(result);
  if (failed) throw failed;
}

interface DemoCycleOptions {
  stack: EmbeddedStack;
  settings: Settings;
  logger: Logger;
  year: number;
  workflowId: string;
  interruption: Interruption;
}

/** Runs the cycle on the stack; on a signal, terminates it (and its collections) instead. */
async function runDemoCycle(options: DemoCycleOptions): Promise<CycleResult | undefined> {
  const { stack, settings, logger, year, workflowId } = options;
  const handle = await stack.client.workflow.start(territorialCycleWorkflow, {
    workflowId,
    taskQueue: settings.taskQueue,
    args: [{ reportingYear: year }],
  });
  logger.info('demo cycle started', { workflowId, runId: handle.firstExecutionRunId });
  // The demo stops its dev server on the way out; `terreze server` serves the same history
  // again, on the default Web UI port, from the same home folder.
  const embedded = stack.devServerPid !== undefined;
  const reference = {
    workflowId,
    runId: handle.firstExecutionRunId,
    namespace: settings.temporalNamespace,
    uiUrl: embedded ? 'http://127.0.0.1:8233' : settings.temporalUiUrl,
  };
  const notes = embedded ? ['to open it, start `node bin/terreze.js server` first'] : [];

  const outcome = await Promise.race([
    handle.result().then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    ),
    options.interruption.interrupted.then((signal) => ({ signal })),
  ]);
  if ('signal' in outcome) {
    // The collections are child workflows: terminating the cycle terminates them too.
    await handle.terminate(`demo interrupted by ${outcome.signal}`).catch((error: unknown) => {
      logger.warn('the demo cycle could not be terminated', {
        workflowId,
        error: errorMessage(error),
      });
    });
    return undefined;
  }
  if ('error' in outcome) {
    throw workflowRunError(`demo cycle ${year}`, outcome.error, reference, notes);
  }
  return outcome.result;
}
