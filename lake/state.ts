import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LakeError } from '../lib/errors.js';
import { partitionKeyPattern } from './manifest.js';
import { writeFileAtomically } from './store.js';

/**
 * The state (cursors) of each source, in `<lake>/<source>/state.json`. It is written only after
 * the partition it belongs to has landed, so a crash in between makes the next collection read
 * again from the older cursor — and merging on the primary key absorbs the overlap.
 */

export interface SavedState {
  source: string;
  /** The partition whose landing this state follows. */
  period: string;
  runId: string;
  /** The data file of that partition, relative to the lake. */
  file: string;
  savedAt: string;
  state: Record<string, unknown>;
}

function stateFile(lakeDir: string, source: string): string {
  if (!partitionKeyPattern.test(source)) {
    throw new LakeError(`source "${source}" is not a valid partition key`, { source });
  }
  return join(lakeDir, source, 'state.json');
}

/** The state saved after the source's last landed collection, if any. */
export async function readSourceState(
  lakeDir: string,
  source: string,
): Promise<SavedState | undefined> {
  const file = stateFile(lakeDir, source);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as SavedState;
  } catch (error) {
    throw new LakeError(`state file ${file} is not valid JSON; remove it to read from scratch`, {
      source,
      cause: String(error),
    });
  }
}

/** Saves a source's state atomically; call it only once the partition is landed. */
export async function saveSourceState(lakeDir: string, saved: SavedState): Promise<void> {
  const file = stateFile(lakeDir, saved.source);
  await mkdir(join(lakeDir, saved.source), { recursive: true });
  await writeFileAtomically(file, `${JSON.stringify(saved, null, 2)}\n`);
}
