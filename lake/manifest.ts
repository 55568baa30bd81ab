import type { FetchedResource } from '../connectors/contract.js';

/** What the lake knows of one collection of one source for one period. */
export interface PartitionManifest {
  source: string;
  period: string;
  /** The run that produced this partition: workflow id and run id, or a CLI run id. */
  runId: string;
  workflowId: string | undefined;
  connector: { id: string; version: string };
  /** Path of the Parquet file relative to the lake folder. */
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
  schema: { name: string; type: string; nullable: boolean }[];
  retrievedAt: string;
  resources: FetchedResource[];
  producer: string;
  licence: string;
  access: 'public' | 'committee' | 'restricted';
  standIn: { for: string; reason: string } | undefined;
  /** Records set aside as bad during the collection (JSON Lines beside the data file). */
  quarantine?: { file: string; rows: number; sha256: string } | undefined;
  /** Version of the source's schema (in `<source>/schema.json`) the data file follows. */
  schemaVersion?: number;
}

/** Characters allowed in a source id or a period, so that both are safe as folder names. */
export const partitionKeyPattern = /^[a-z0-9][a-z0-9-]*$/;
