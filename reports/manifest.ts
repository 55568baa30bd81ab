import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EditionManifest } from '../activities/editions.js';

/** The manifest of a rendered report edition: everything it was made from, and its files. */

export interface ReportEditionManifest {
  reportEditionId: string;
  inventoryEditionId: string;
  reportId: string;
  audience: string;
  reportingYear: number;
  parameters: Record<string, unknown>;
  templateFile: string;
  templateSha256: string;
  /** The partials beside the template, which shared sections come from. */
  partials: { file: string; sha256: string }[];
  codeVersion: string;
  /** The data as of then: the latest retrieval among the inventory's inputs. */
  dataCutoff: string | null;
  /** The inventory edition's inputs: each partition with its checksum and run. */
  inputs: EditionManifest['inputs'];
  /** The emission factors the inventory used, with their versions (validity years). */
  factors: EditionManifest['factors'];
  /** The issued edition this one is compared with in its "changes" section, if any. */
  comparedWith: { reportEditionId: string; inventoryEditionId: string; issuedAt: string } | null;
  renderedAt: string;
  pdfPages: number | null;
  files: { format: 'html' | 'pdf'; path: string; sha256: string }[];
}

/** Hex SHA-256 of `content`. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Everything that decides what a report edition shows, for its id. */
export interface ReportEditionInputs {
  reportId: string;
  audience: string;
  inventoryEditionId: string;
  templateSha256: string;
  partials: { file: string; sha256: string }[];
  parameters: Record<string, unknown>;
  codeVersion: string;
  retrievalMaxAgeDays: number;
  comparedWith: string | null;
}

/** `<report>-<audience>-<12 hex>`: the same inputs give the same id. */
export function reportEditionIdFor(inputs: ReportEditionInputs): string {
  const partials = inputs.partials.map((partial) => partial.sha256);
  const digest = sha256(
    JSON.stringify([
      inputs.inventoryEditionId,
      inputs.templateSha256,
      partials,
      inputs.parameters,
      inputs.codeVersion,
      inputs.retrievalMaxAgeDays,
      inputs.comparedWith,
    ]),
  );
  return `${inputs.reportId}-${inputs.audience}-${digest.slice(0, 12)}`;
}

/** Writes `report-edition.json` into `directory` and returns its path. */
export async function writeReportManifest(
  directory: string,
  manifest: ReportEditionManifest,
): Promise<string> {
  const file = join(directory, 'report-edition.json');
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}
