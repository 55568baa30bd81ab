import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoProjectFile } from '../../cli/context.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../cli/embedded-stack.js';
import { loadSettings, type Settings } from '../../config/settings.js';
import { createLogger } from '../../lib/logger.js';

/** A home folder of its own and the embedded stack (dev server, simulator, worker) on it. */
export async function startTestStack(
  options: { projectFile?: string; taskQueue?: string; environment?: NodeJS.ProcessEnv } = {},
): Promise<{ stack: EmbeddedStack; settings: Settings; homeDir: string }> {
  const homeDir = mkdtempSync(join(tmpdir(), 'terreze-home-'));
  const settings = loadSettings({
    ...process.env,
    TERREZE_HOME: homeDir,
    TERREZE_TASK_QUEUE:
      options.taskQueue ?? `test-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    ...options.environment,
  });
  const logger = createLogger({ level: 'warn', format: 'pretty' });
  const stack = await startEmbeddedStack({
    settings,
    projectFile: options.projectFile ?? demoProjectFile,
    logger,
  });
  return { stack, settings, homeDir };
}
