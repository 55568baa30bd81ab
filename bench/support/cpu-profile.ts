import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Sums a V8 `.cpuprofile` (from `node --cpu-prof`) into self time per function and per part
 * of the pipeline, so that the profile reads as a table rather than a flame graph.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byPart: { part: string; selfMs: number; share: number }[];
  topFunctions: { name: string; where: string; part: string; selfMs: number; share: number }[];
}

/** The part of the pipeline a frame belongs to, told by its file. */
function partOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle (waiting on native work or I/O)';
  if (functionName === '(program)') return 'native (DuckDB, parquet-wasm, V8 itself)';
  if (url.includes('parquet-wasm') || url.startsWith('wasm://') || functionName.startsWith('wasm-'))
    return 'parquet-wasm (JS glue and wasm)';
  if (url.endsWith('internal/encoding') || functionName === 'encodeUtf8String')
    return 'UTF-8 encoding (TextEncoder, for Arrow strings)';
  if (url.includes('internal/modules') || url.includes('tsx') || url.includes('esbuild'))
    return 'module loading (tsx)';
  if (url.includes('apache-arrow')) return 'Apache Arrow JS (vector building, IPC)';
  if (url.includes('@duckdb')) return 'DuckDB node-api (value conversion)';
  if (url.includes('/lib/duckdb.ts')) return 'terreze lib/duckdb.ts (streamBatches)';
  if (url.includes('/lib/arrow.ts')) return 'terreze lib/arrow.ts';
  if (url.includes('/lake/')) return 'terreze lake/';
  if (url.includes('/connectors/') || url.includes('/bench/connectors/')) return 'connectors';
  if (url.startsWith('node:') || url === '') return 'Node.js internals (streams, fs, http)';
  return 'other JavaScript';
}

export async function summarizeProfile(file: string, top = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const selfUs = new Map<number, number>();
  profile.samples.forEach((nodeId, index) => {
    selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const totalMs = (profile.endTime - profile.startTime) / 1000;

  const parts = new Map<string, number>();
  const functions = new Map<
    string,
    { name: string; where: string; part: string; selfMs: number }
  >();
  for (const node of profile.nodes) {
    const selfMs = (selfUs.get(node.id) ?? 0) / 1000;
    if (selfMs === 0) continue;
    const part = partOf(node.callFrame);
    parts.set(part, (parts.get(part) ?? 0) + selfMs);
    const name = node.callFrame.functionName || '(anonymous)';
    const where = node.callFrame.url
      ? `${basename(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`
      : '';
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, part, selfMs: 0 };
    entry.selfMs += selfMs;
    functions.set(key, entry);
  }
  return {
    totalMs,
    byPart: [...parts]
      .map(([part, selfMs]) => ({ part, selfMs, share: selfMs / totalMs }))
      .sort((a, b) => b.selfMs - a.selfMs),
    topFunctions: [...functions.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((entry) => ({ ...entry, share: entry.selfMs / totalMs })),
  };
}

/**
 * The main thread's `.cpuprofile` of a folder: tsx's loader runs in a worker thread that
 * writes a profile of its own, mostly idle. Node names the main thread's with thread id 0.
 */
export async function mainThreadProfile(directory: string): Promise<string> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.cpuprofile'));
  const main = files.find((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name)) ?? files.sort()[0];
  if (main === undefined) throw new Error(`no .cpuprofile in ${directory}`);
  return join(directory, main);
}
