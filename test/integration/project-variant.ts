import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { demoProjectFile } from '../../cli/context.js';

/**
 * A copy of the demo project file with some values changed, written under the system temp
 * folder: integration tests use it for short timeouts, routed queues, sinks and failures.
 */
export function writeProjectVariant(changes: Record<string, unknown>): string {
  const document = parseDocument(readFileSync(demoProjectFile, 'utf8'));
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.').map((key) => (/^\d+$/.test(key) ? Number(key) : key));
    if (value === undefined) document.deleteIn(keys);
    else document.setIn(keys, value);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'terreze-project-')), 'terreze.yaml');
  writeFileSync(file, document.toString());
  return file;
}

/** The index of a source in the demo project file, for paths such as `sources.3.schedule`. */
export function sourceIndex(sourceId: string): number {
  const document = parseDocument(readFileSync(demoProjectFile, 'utf8'));
  const sources = document.toJS().sources as { id: string }[];
  const index = sources.findIndex((source) => source.id === sourceId);
  if (index < 0) throw new Error(`no source ${sourceId} in the demo project`);
  return index;
}
