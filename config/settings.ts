import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { ConfigError } from '../lib/errors.js';

/**
 * Settings of a terreze process, from the environment (and `.env`), checked once at start-up.
 * The project file says what to collect; these say where this process keeps and finds things.
 */
export interface Settings {
  /** Folder of the providers' files served by the simulator (the real files in ../shared/data). */
  providerDataDir: string;
  /** Folder where terreze writes its lake, warehouse, reports and the dev server's database. */
  homeDir: string;
  /** Address of an existing Temporal cluster; when absent the embedded dev server is used. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  taskQueue: string;
  /** Chromium for PDFs; when absent, known system paths are tried. */
  chromiumPath: string | undefined;
  /** Temporal CLI binary for the dev server; when absent it is resolved (see temporal/binary). */
  temporalBinary: string | undefined;
}

const settingsSchema = z.object({
  TERREZE_PROVIDER_DATA: z.string().min(1).default('../shared/data'),
  TERREZE_HOME: z.string().min(1).default('var'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'host:port, for example 127.0.0.1:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TERREZE_TASK_QUEUE: z.string().min(1).default('terreze'),
  TERREZE_CHROMIUM: z.string().min(1).optional(),
  TERREZE_TEMPORAL_BIN: z.string().min(1).optional(),
});

let dotenvLoaded = false;

/** Reads `.env` once (without overriding variables already set) and validates the settings. */
export function loadSettings(environment: NodeJS.ProcessEnv = process.env, cwd = process.cwd()) {
  if (!dotenvLoaded && environment === process.env) {
    loadDotenv({ path: resolve(cwd, '.env'), quiet: true });
    dotenvLoaded = true;
  }

  const parsed = settingsSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(
      'environment',
      parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        expected: issue.message,
      })),
    );
  }

  const values = parsed.data;
  const settings: Settings = {
    providerDataDir: resolve(cwd, values.TERREZE_PROVIDER_DATA),
    homeDir: resolve(cwd, values.TERREZE_HOME),
    temporalAddress: values.TEMPORAL_ADDRESS,
    temporalNamespace: values.TEMPORAL_NAMESPACE,
    taskQueue: values.TERREZE_TASK_QUEUE,
    chromiumPath: values.TERREZE_CHROMIUM,
    temporalBinary: values.TERREZE_TEMPORAL_BIN,
  };
  return settings;
}
