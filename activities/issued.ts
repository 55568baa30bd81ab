import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The register of report editions handed to their audience, one JSON line per issue, oldest
 * first. An edition is issued once approved; the next edition of the same report compares
 * itself with the last one issued.
 */

export interface IssuedEdition {
  reportEditionId: string;
  inventoryEditionId: string;
  reportId: string;
  audience: string;
  reportingYear: number;
  issuedAt: string;
  approvedBy: string;
  comment: string;
  files: { path: string; sha256: string }[];
}

export function issuedRegisterFile(editionsDir: string): string {
  return join(editionsDir, 'issued.jsonl');
}

export async function recordIssuedEdition(
  editionsDir: string,
  issued: IssuedEdition,
): Promise<void> {
  const file = issuedRegisterFile(editionsDir);
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(issued)}\n`);
}

export async function listIssuedEditions(editionsDir: string): Promise<IssuedEdition[]> {
  const file = issuedRegisterFile(editionsDir);
  if (!existsSync(file)) return [];
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as IssuedEdition);
}

/** The last issued edition of a report for an audience, other than `exceptReportEditionId`. */
export async function lastIssuedEdition(
  editionsDir: string,
  reportId: string,
  audience: string,
  exceptReportEditionId?: string,
): Promise<IssuedEdition | undefined> {
  const issued = await listIssuedEditions(editionsDir);
  return issued
    .filter(
      (entry) =>
        entry.reportId === reportId &&
        entry.audience === audience &&
        entry.reportEditionId !== exceptReportEditionId,
    )
    .at(-1);
}
