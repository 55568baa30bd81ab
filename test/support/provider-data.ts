import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where tests find the providers' real files: `TERREZE_PROVIDER_DATA`, else `../shared/data`. */

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The providers' data folder, resolved from the environment or next to the repository. */
export function providerDataDir(): string {
  const configured = process.env.TERREZE_PROVIDER_DATA;
  return configured === undefined || configured === ''
    ? resolve(repositoryRoot, '../shared/data')
    : resolve(configured);
}

/** The absolute path of one provider file, such as `energy/…csv`. */
export function providerFile(relativePath: string): string {
  return join(providerDataDir(), relativePath);
}

/**
 * A fresh data folder under the system temp folder holding copies of the listed provider files
 * at the same relative paths, for tests that serve a corrupted variant of a real file.
 */
export async function scratchDataDir(relativePaths: readonly string[]): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'terreze-data-'));
  for (const relativePath of relativePaths) {
    const target = join(directory, relativePath);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(providerFile(relativePath), target);
  }
  return directory;
}

/**
 * A fresh data folder holding, at `servedAs`, the lines of the provider file `from` after
 * `edit` changed them (a corrupted value, a sentinel): the real file is never touched.
 */
export async function editedDataDir(
  from: string,
  servedAs: string,
  edit: (lines: string[]) => void,
): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'terreze-data-'));
  const lines = (await readFile(providerFile(from), 'latin1')).split('\n');
  edit(lines);
  const target = join(directory, servedAs);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, lines.join('\n'), 'latin1');
  return directory;
}
