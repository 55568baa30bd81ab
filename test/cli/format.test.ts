import { describe, expect, it } from 'vitest';
import { partitionSummaryLine } from '../../cli/format.js';
import type { PartitionSummary } from '../../workflows/types.js';

const landed: PartitionSummary = {
  sourceId: 'sinoe-recycling-centres',
  period: '2015',
  runId: 'run-1',
  rows: 7,
  sha256: 'ab12',
  file: 'sinoe-recycling-centres/period=2015/data-ab12.parquet',
  replaced: 'new',
};

/** The line `terreze collect` prints for a landed partition. */
describe('partitionSummaryLine', () => {
  it('gives rows, change and checksum when no record was set aside', () => {
    expect(partitionSummaryLine({ ...landed, quarantinedRows: 0 }, '/home/lake')).toBe(
      'sinoe-recycling-centres 2015: 7 rows, new, sha256 ab12',
    );
  });

  it('counts the records set aside, with the quarantine file they are listed in', () => {
    const summary = {
      ...landed,
      quarantinedRows: 2,
      quarantineFile: 'sinoe-recycling-centres/period=2015/quarantine-cd34.jsonl',
    };
    expect(partitionSummaryLine(summary, '/home/lake')).toBe(
      'sinoe-recycling-centres 2015: 7 rows (2 set aside in quarantine: ' +
        '/home/lake/sinoe-recycling-centres/period=2015/quarantine-cd34.jsonl), new, sha256 ab12',
    );
  });

  it('points beside the partition when a worker of an older version did not name the file', () => {
    expect(partitionSummaryLine({ ...landed, quarantinedRows: 2 }, '/home/lake')).toBe(
      'sinoe-recycling-centres 2015: 7 rows (2 set aside in quarantine: the quarantine file ' +
        'beside /home/lake/sinoe-recycling-centres/period=2015/data-ab12.parquet), new, sha256 ab12',
    );
  });
});
