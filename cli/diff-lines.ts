import type { EditionDiff } from '../activities/edition-diff.js';

/** How `terreze inventory diff` prints a diff: factors, inputs, figures, then the rows. */

const tonnes = (value: number | null) => (value === null ? 'NE' : `${value.toFixed(3)} tCO2e`);
const signed = (value: number | null) =>
  value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${value.toFixed(3)} tCO2e`;

export function editionDiffLines(diff: EditionDiff): string[] {
  const lines = [
    `Edition ${diff.editionId} against ${diff.previousEditionId} (reporting year ${diff.reportingYear})`,
  ];
  for (const factor of diff.factors) {
    const before = factor.previous
      ? `${factor.previous.kgco2ePerUnit} ${factor.previous.unit}`
      : '—';
    const after = factor.current ? `${factor.current.kgco2ePerUnit} ${factor.current.unit}` : '—';
    lines.push(`  factor ${factor.factorRef} ${factor.change}: ${before} → ${after}`);
  }
  for (const input of diff.inputs) {
    lines.push(
      `  input ${input.sourceId} ${input.change}: ${input.previousSha256?.slice(0, 12) ?? '—'} → ${input.currentSha256?.slice(0, 12) ?? '—'}`,
    );
  }
  lines.push(
    `  total ${tonnes(diff.total.previousTco2e)} → ${tonnes(diff.total.currentTco2e)} (${signed(diff.total.changeTco2e)})`,
  );
  for (const sector of diff.sectors) {
    lines.push(`  sector ${sector.sector}: ${signed(sector.changeTco2e)}`);
  }
  for (const subsector of diff.subsectors) {
    lines.push(`  sub-sector ${subsector.gpcRef}: ${signed(subsector.changeTco2e)}`);
  }
  if (diff.rows === null) {
    lines.push('  rows: not comparable (the previous edition has no row keys)');
    return lines;
  }
  lines.push(`  ${diff.rows.length} activity row(s) changed`);
  for (const row of diff.rows.slice(0, shownRows)) {
    const factor =
      row.previousFactorRef === row.currentFactorRef
        ? ''
        : `, factor ${row.previousFactorRef ?? 'none'} → ${row.currentFactorRef ?? 'none'}`;
    const key =
      row.previousNotationKey === row.currentNotationKey
        ? ''
        : `, key ${row.previousNotationKey ?? 'none'} → ${row.currentNotationKey ?? 'none'}`;
    lines.push(
      `    ${row.sourceId} ${row.activityKey} ${row.detailKey} (${row.gpcRef ?? 'no GPC reference'}): ` +
        `${tonnes(row.previousTco2e)} → ${tonnes(row.currentTco2e)}${factor}${key}`,
    );
  }
  if (diff.rows.length > shownRows) {
    lines.push(`    … and ${diff.rows.length - shownRows} more (--json lists them all)`);
  }
  return lines;
}

// A terminal shows the first rows; the JSON output carries every one.
const shownRows = 20;
