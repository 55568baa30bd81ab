/**
 * What workflows and activities exchange. Plain data only: these cross Temporal's payload
 * converter, and workflow code imports nothing that does I/O.
 */

import type { FetchedResource } from '../connectors/contract.js';
import type { ApprovalPolicy, ApprovalRequest, CollectionPolicy } from './operations-types.js';

export interface CollectSourceInput {
  sourceId: string;
  /** Partition key: a data year ("2023") or "current" for snapshot sources. */
  period: string;
  vintage: number | undefined;
}

export interface StagedPartition extends CollectSourceInput {
  runId: string;
  workflowId: string | undefined;
  stagingFile: string;
  sha256: string;
  rows: number;
  bytes: number;
  connector: { id: string; version: string };
  retrievedAt: string;
  resources: FetchedResource[];
  /** Bad records set aside, staged as JSON Lines; listed in the manifest once landed. */
  quarantine?: { stagingFile: string; rows: number; sha256: string };
  /** The columns of the staged file, as the source's schema contract records them. */
  schema?: { name: string; type: string; nullable: boolean }[];
  /** The state the read yielded (cursors), saved only once the partition is landed. */
  state?: Record<string, unknown>;
}

export interface PartitionSummary {
  sourceId: string;
  period: string;
  runId: string;
  rows: number;
  sha256: string;
  file: string;
  replaced: 'new' | 'identical' | 'changed';
  /** Records set aside as bad, listed in the partition's quarantine file. */
  quarantinedRows?: number;
  /** That file, relative to the lake like `file`, when there are any. */
  quarantineFile?: string;
}

export interface PlannedSource {
  sourceId: string;
  domain: string;
  period: string | undefined;
  vintage: number | undefined;
  /** Why the source is not collected for this reporting year, when it is not. */
  skipReason: string | undefined;
  /** The data years the provider publishes (annual sources). */
  vintages?: number[];
  /** The task queue its collection runs on; the cycle's own when undefined. */
  taskQueue?: string | undefined;
}

export interface CyclePlan {
  reportingYear: number;
  sources: PlannedSource[];
  concurrency: number;
  onSourceFailure: 'block' | 'continue';
  reportIds: string[];
  project?: string;
  collection?: CollectionPolicy;
  approval?: ApprovalPolicy;
}

export type SourceState = 'waiting' | 'running' | 'done' | 'failed' | 'skipped';

export interface SourceProgress {
  sourceId: string;
  state: SourceState;
  period: string | undefined;
  rows: number | undefined;
  message: string | undefined;
  /** Attempts of the collection's current activity; more than 1 means it was retried. */
  attempts?: number;
}

export interface CycleProgress {
  reportingYear: number;
  stage: 'planning' | 'collecting' | 'computing' | 'rendering' | 'done' | 'failed';
  sources: SourceProgress[];
}

export interface ComputeInventoryInput {
  reportingYear: number;
  collected: { sourceId: string; period: string }[];
  failed: { sourceId: string; message: string }[];
  skipped: { sourceId: string; reason: string }[];
}

export interface SectorTotal {
  sector: string;
  sectorName: string;
  tco2e: number | null;
  subsectorsWithNotationKey: string | null;
  /** The sub-sectors without a figure grouped by key, e.g. "NE: II.1.1, II.1.2; NO: II.4.1". */
  notationKeys: string | null;
  /** What stand-in rows would emit: never in `tco2e`. */
  illustrativeTco2e: number | null;
  /** False when a source that feeds the sector failed or was skipped in this edition. */
  complete: boolean;
  missingSources: string | null;
}

export interface InventorySummary {
  reportingYear: number;
  editionId: string;
  editionDir: string;
  databaseFile: string;
  totalTco2e: number | null;
  tco2ePerInhabitant: number | null;
  sectors: SectorTotal[];
}

export interface RenderReportsInput {
  reportingYear: number;
  editionId: string;
  editionDir: string;
  databaseFile: string;
  reportIds: string[];
}

export interface RenderedReport {
  reportId: string;
  audience: string;
  /** Identifies exactly what was rendered: inventory edition, template, parameters, audience. */
  reportEditionId: string;
  /** The report edition's manifest (`report-edition.json`) beside its files. */
  manifestFile: string;
  html: string | undefined;
  pdf: string | undefined;
  htmlSha256: string | undefined;
  pdfSha256: string | undefined;
}

export interface CycleInput {
  reportingYear: number;
  /** Report ids to render; all of the project's when absent. */
  reportIds?: string[];
  /** Overrides the project's `cycle.onSourceFailure` for this run. */
  onSourceFailure?: 'block' | 'continue';
}

export interface CycleResult {
  reportingYear: number;
  sources: SourceProgress[];
  inventory: InventorySummary;
  reports: RenderedReport[];
  /** Report editions waiting for an approval, or already issued. */
  approvals?: ApprovalRequest[];
}
