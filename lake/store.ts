import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LakeError } from '../lib/errors.js';
import { type PartitionManifest, partitionKeyPattern } from './manifest.js';

/**
 * The lake: one immutable, content-addressed Parquet file per collected partition, a manifest
 * per run, and a `current.json` pointer per (source, period) that is replaced atomically. A
 * re-collection therefore replaces the partition instead of appending to it, and readers never
 * see a half-written one.
 */

export interface StagedFile {
  path: string;
  sha256: string;
  /** Bad records set aside, staged as JSON Lines; moved beside the data file. */
  quarantine?: { path: string; sha256: string; rows: number };
}

function checkKey(kind: string, value: string): void {
  if (!partitionKeyPattern.test(value)) {
    throw new LakeError(`${kind} "${value}" is not a valid partition key`, { [kind]: value });
  }
}

export function partitionDir(lakeDir: string, source: string, period: string): string {
  checkKey('source', source);
  checkKey('period', period);
  return join(lakeDir, source, period);
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Writes `content` to `path` through a temporary file, fsync and rename. */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

/** Temporary files older than this were left by a process that died mid-write. */
const staleTemporaryMs = 10 * 60_000;

async function removeStaleTemporaries(directory: string): Promise<void> {
  for (const name of await readdir(directory)) {
    if (!name.endsWith('.tmp')) continue;
    const file = join(directory, name);
    const info = await stat(file).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > staleTemporaryMs) await rm(file, { force: true });
  }
}

/**
 * Puts a staged content-addressed file at `target`. A retry whose staged file was already
 * moved finds the target in place; a target whose bytes no longer match its name (a damaged
 * file) is replaced by the staged copy.
 */
async function placeContentFile(
  stagedPath: string,
  target: string,
  sha256: string,
  context: Record<string, unknown>,
): Promise<void> {
  const stagedExists = existsSync(stagedPath);
  const targetIntact = existsSync(target) && (await sha256OfFile(target)) === sha256;
  if (targetIntact) {
    if (stagedExists) await rm(stagedPath);
    return;
  }
  if (!stagedExists) {
    throw new LakeError(
      `staged file ${stagedPath} is gone and ${target} is ${existsSync(target) ? 'damaged' : 'missing'}; collect the partition again`,
      context,
    );
  }
  await rename(stagedPath, target);
}

/** A fresh path in the lake's staging folder, on the same file system as the partitions. */
export async function stagingPath(lakeDir: string, extension = 'parquet'): Promise<string> {
  const directory = join(lakeDir, '.staging');
  await mkdir(directory, { recursive: true });
  return join(directory, `${randomUUID()}.${extension}`);
}

/**
 * Moves a verified staged file into its partition and makes it current. `manifest.file` and
 * `manifest.sha256` are set here; the staged file's checksum is verified first.
 */
export async function commitPartition(
  lakeDir: string,
  staged: StagedFile,
  draft: Omit<PartitionManifest, 'file'>,
): Promise<PartitionManifest> {
  const directory = partitionDir(lakeDir, draft.source, draft.period);
  const context = { source: draft.source, period: draft.period };
  if (staged.sha256 !== draft.sha256) {
    throw new LakeError(
      `staged file ${staged.path} announces sha256 ${staged.sha256}, the manifest ${draft.sha256}; not landed`,
      context,
    );
  }
  if (existsSync(staged.path)) {
    const actual = await sha256OfFile(staged.path);
    if (actual !== staged.sha256) {
      throw new LakeError(
        `staged file ${staged.path} has sha256 ${actual}, expected ${staged.sha256}; not landed`,
        context,
      );
    }
  }

  await mkdir(join(directory, 'manifests'), { recursive: true });
  await removeStaleTemporaries(directory);
  const target = join(directory, `data-${staged.sha256}.parquet`);
  await placeContentFile(staged.path, target, staged.sha256, context);

  let quarantine: PartitionManifest['quarantine'];
  if (staged.quarantine !== undefined) {
    const quarantineTarget = join(directory, `quarantine-${staged.quarantine.sha256}.jsonl`);
    await placeContentFile(
      staged.quarantine.path,
      quarantineTarget,
      staged.quarantine.sha256,
      context,
    );
    quarantine = {
      file: relative(lakeDir, quarantineTarget),
      rows: staged.quarantine.rows,
      sha256: staged.quarantine.sha256,
    };
  }

  const manifest: PartitionManifest = { ...draft, file: relative(lakeDir, target), quarantine };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  const runFile = join(directory, 'manifests', `${safeRunName(draft.runId)}.json`);
  await writeFileAtomically(runFile, text);
  await writeFileAtomically(join(directory, 'current.json'), text);
  return manifest;
}

function safeRunName(runId: string): string {
  return runId.replace(/[^A-Za-z0-9._-]/g, '_');
}

export async function readCurrentManifest(
  lakeDir: string,
  source: string,
  period: string,
): Promise<PartitionManifest | undefined> {
  const file = join(partitionDir(lakeDir, source, period), 'current.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as PartitionManifest;
}

/** Every current partition of the lake, sorted by source then period. */
export async function listCurrentManifests(lakeDir: string): Promise<PartitionManifest[]> {
  if (!existsSync(lakeDir)) return [];
  const manifests: PartitionManifest[] = [];
  for (const source of (await readdir(lakeDir)).sort()) {
    if (!partitionKeyPattern.test(source)) continue;
    const entries = await readdir(join(lakeDir, source), { withFileTypes: true });
    const periods = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    for (const period of periods.sort()) {
      const manifest = await readCurrentManifest(lakeDir, source, period).catch(() => undefined);
      if (manifest) manifests.push(manifest);
    }
  }
  return manifests;
}

/** Every run manifest of a partition, oldest first. */
export async function listPartitionHistory(
  lakeDir: string,
  source: string,
  period: string,
): Promise<PartitionManifest[]> {
  const directory = join(partitionDir(lakeDir, source, period), 'manifests');
  if (!existsSync(directory)) return [];
  const manifests = await Promise.all(
    (await readdir(directory))
      .filter((name) => name.endsWith('.json'))
      .map(async (name) => JSON.parse(await readFile(join(directory, name), 'utf8'))),
  );
  return (manifests as PartitionManifest[]).sort((a, b) =>
    a.retrievedAt.localeCompare(b.retrievedAt),
  );
}

export function absolutePartitionFile(lakeDir: string, manifest: PartitionManifest): string {
  return join(lakeDir, manifest.file);
}
