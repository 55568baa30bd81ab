import { join } from 'node:path';
import { rejectedNextStep } from '../workflows/approval-requests.js';
import type { ApprovalRequest, EditionRejection } from '../workflows/operations-types.js';
import type { CycleResult, PartitionSummary } from '../workflows/types.js';

/** How the CLI prints figures: tonnes with one decimal and thin thousands separators. */
export function formatTco2e(value: number | null, notation = 'NE'): string {
  if (value === null) return notation;
  return `${value.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} tCO2e`;
}

export function cycleResultLines(result: CycleResult): string[] {
  const lines = [`Inventory ${result.reportingYear}, edition ${result.inventory.editionId}`];
  for (const source of result.sources) {
    const detail = source.state === 'done' ? `${source.rows} rows` : (source.message ?? '');
    lines.push(
      `  source ${source.sourceId.padEnd(32)} ${source.state.padEnd(8)} ${source.period ?? '-'}  ${detail}`,
    );
  }
  lines.push('tCO2e by GPC sector (sub-sectors without a figure: NE not estimated, NO not');
  lines.push('occurring, IE included elsewhere, C confidential):');
  for (const sector of result.inventory.sectors) {
    const keys = sector.notationKeys ? `  ${sector.notationKeys}` : '';
    lines.push(
      `  ${sector.sector.padEnd(4)} ${sector.sectorName.padEnd(20)} ${formatTco2e(sector.tco2e).padStart(18)}${keys}`,
    );
    if (!sector.complete) {
      lines.push(
        `       incomplete: ${sector.missingSources ?? 'a source'} missing from this edition`,
      );
    }
    if (sector.illustrativeTco2e !== null) {
      lines.push(
        `       stand-in data, illustrative and not counted: ${formatTco2e(sector.illustrativeTco2e)}`,
      );
    }
  }
  lines.push(
    `  total                     ${formatTco2e(result.inventory.totalTco2e).padStart(18)}`,
  );
  for (const report of result.reports) {
    if (report.html)
      lines.push(`report ${report.reportId} (${report.audience}) HTML: ${report.html}`);
    if (report.pdf)
      lines.push(`report ${report.reportId} (${report.audience}) PDF:  ${report.pdf}`);
  }
  for (const approval of result.approvals ?? []) lines.push(approvalLine(approval));
  return lines;
}

/**
 * What `terreze collect` prints of a landed partition. Rows set aside are counted beside the
 * rows landed, with their file, so that a partial landing never reads as a whole one.
 */
export function partitionSummaryLine(summary: PartitionSummary, lakeDir: string): string {
  const quarantined = summary.quarantinedRows ?? 0;
  const where = summary.quarantineFile
    ? join(lakeDir, summary.quarantineFile)
    : `the quarantine file beside ${join(lakeDir, summary.file)}`;
  const setAside = quarantined > 0 ? ` (${quarantined} set aside in quarantine: ${where})` : '';
  return (
    `${summary.sourceId} ${summary.period}: ${summary.rows} rows${setAside}, ` +
    `${summary.replaced}, sha256 ${summary.sha256}`
  );
}

function approvalLine(approval: ApprovalRequest): string {
  if (approval.state === 'issued') {
    return `edition ${approval.reportEditionId} was already approved and issued`;
  }
  if (approval.state === 'rejected' && approval.rejection !== undefined) {
    return (
      `edition ${approval.reportEditionId} ${rejectionText(approval.rejection)}; not asked ` +
      `for again: ${approval.nextStep ?? rejectedNextStep}`
    );
  }
  return `edition ${approval.reportEditionId} awaits approval: ${approval.approveCommand}`;
}

/** "rejected by <who> at <when>: "<why>"", as the cycle and `approvals list` print it. */
export function rejectionText(rejection: EditionRejection): string {
  return `rejected by ${rejection.by} at ${rejection.at}: "${rejection.comment}"`;
}
