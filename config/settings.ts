import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { ConfigError } from '../lib/errors.js';

/**
 * Settings of a terreze process, from the environment (and `.env`), checked once at start-up.
 * The project file says what to collect; these say where this process keeps and finds things.
 * A folder given in the environment is read from the current directory; the defaults are
 * folders of the installation (the one holding `package.json`), so that `node
 * /path/to/bin/terreze.js` works from any directory.
 */
export interface Settings {
  /** Folder of the providers' files served by the simulator (the real files in ../shared/data). */
  providerDataDir: string;
  /** Folder where terreze writes its lake, warehouse, reports and the dev server's database. */
  homeDir: string;
  /** Address of an existing Temporal cluster; when absent the embedded dev server is used. */
  temporalAddress: string | undefined;
  /** Base URL of the cluster's Web UI, printed beside failed runs; `terreze server` records its own. */
  temporalUiUrl: string | undefined;
  temporalNamespace: string;
  taskQueue: string;
  /** Chromium for PDFs; when absent, known system paths are tried. */
  chromiumPath: string | undefined;
  /** Temporal CLI binary for the dev server; when absent it is resolved (see temporal/binary). */
  temporalBinary: string | undefined;
}

const settingsSchema = z.object({
  TERREZE_PROVIDER_DATA: z.string().min(1).optional(),
  TERREZE_HOME: z.string().min(1).optional(),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'host:port, for example 127.0.0.1:7233')
    .optional(),
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TERREZE_TASK_QUEUE: z.string().min(1).default('terreze'),
  TERREZE_CHROMIUM: z.string().min(1).optional(),
  TERREZE_TEMPORAL_BIN: z.string().min(1).optional(),
});

/** The folder holding terreze's `package.json`, against which the default folders resolve. */
export const installationRoot = fileURLToPath(new URL('..', import.meta.url));

const defaultFolders = { providerData: '../shared/data', home: 'var' };

/** An explicit folder from the current directory, or the default from the installation. */
function folder(explicit: string | undefined, fallback: string, cwd: string): string {
  if (explicit === undefined) return resolve(installationRoot, fallback);
  return isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
}

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
    providerDataDir: folder(values.TERREZE_PROVIDER_DATA, defaultFolders.providerData, cwd),
    homeDir: folder(values.TERREZE_HOME, defaultFolders.home, cwd),
    temporalAddress: values.TEMPORAL_ADDRESS,
    temporalUiUrl: values.TEMPORAL_UI_URL,
    temporalNamespace: values.TEMPORAL_NAMESPACE,
    taskQueue: values.TERREZE_TASK_QUEUE,
    chromiumPath: values.TERREZE_CHROMIUM,
    temporalBinary: values.TERREZE_TEMPORAL_BIN,
  };
  return settings;
}
