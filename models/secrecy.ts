import { type Equation, preferredOrder, spanOf } from './secrecy-algebra.js';

/**
 * Statistical secrecy of the commune × GPC sub-sector table and of every total published from
 * it (communes, sub-sectors, GPC and PCAET sectors, scopes, the inventory total).
 *
 * Primary masking: a cell built from fewer delivery points than the threshold, or where one
 * unit reaches the dominance share, or that the provider publishes as `secret`. Dominance needs
 * per-unit values: the providers give counts, so it is tested only on rows that stand for a
 * single delivery point; elsewhere only the count rule applies.
 *
 * Secondary masking: no masked figure may be recoverable from the published ones. Every
 * equation "total = sum of its parts" with exactly one masked member gets a second one, then a
 * linear-algebra audit checks each masked figure against all published equations at once and
 * masks one more figure while any of them is still determined. A provider secret counts as
 * masked in its row and its column, so it forces the masking of its complements.
 */

export interface SecrecyCell {
  rowKey: string;
  gpcRef: string;
  tco2e: number | null;
  notationKey: string | null;
  deliveryPoints: number | null;
  largestSinglePointTco2e: number | null;
}

export interface SecrecySettings {
  minimumUnits: number;
  dominanceShare: number;
}

export interface SubsectorGroups {
  gpcRef: string;
  sector: string;
  pcaetSector: string;
  scope: number;
}

export type MaskReason = 'provider-secret' | 'few-units' | 'dominance' | 'secondary';

export interface MaskedFigure {
  nodeKind: 'cell' | 'commune' | 'gpc' | 'sector' | 'pcaet' | 'scope' | 'total';
  nodeKey: string;
  rowKey: string | null;
  gpcRef: string | null;
  tco2e: number | null;
  masked: boolean;
  reason: MaskReason | null;
  deliveryPoints: number | null;
  dominanceBasis: string | null;
}

interface Figure extends MaskedFigure {
  id: string;
  /** Indices of the valued cells the figure sums. */
  leaves: number[];
}

function primaryReason(cell: SecrecyCell, settings: SecrecySettings): MaskReason | null {
  if (cell.tco2e === null) return 'provider-secret';
  if (cell.deliveryPoints !== null && cell.deliveryPoints < settings.minimumUnits) {
    return 'few-units';
  }
  const largest = cell.largestSinglePointTco2e;
  if (largest !== null && cell.tco2e > 0 && largest / cell.tco2e >= settings.dominanceShare) {
    return 'dominance';
  }
  return null;
}

function dominanceBasis(cell: SecrecyCell): string {
  if (cell.largestSinglePointTco2e !== null) return 'single-point rows';
  if (cell.deliveryPoints !== null) return 'not testable: the provider gives counts only';
  return 'not applicable: no delivery points';
}

/** Builds the figures and the equations (a total and its direct parts) that tie them. */
function buildFigures(cells: readonly SecrecyCell[], groups: readonly SubsectorGroups[]) {
  const figures: Figure[] = [];
  const byId = new Map<string, Figure>();
  const add = (figure: Figure) => {
    figures.push(figure);
    byId.set(figure.id, figure);
    return figure;
  };

  const published = cells.filter((cell) => cell.tco2e !== null || cell.notationKey === 'C');
  let valuedCount = 0;
  const leafFigures = published.map((cell) => {
    const leafIndex = cell.tco2e === null ? -1 : valuedCount++;
    return add({
      id: `cell:${cell.rowKey}|${cell.gpcRef}`,
      nodeKind: 'cell',
      nodeKey: `${cell.rowKey}|${cell.gpcRef}`,
      rowKey: cell.rowKey,
      gpcRef: cell.gpcRef,
      tco2e: cell.tco2e,
      masked: false,
      reason: null,
      deliveryPoints: cell.deliveryPoints,
      dominanceBasis: dominanceBasis(cell),
      leaves: leafIndex < 0 ? [] : [leafIndex],
    });
  });

  const equations: Equation<Figure>[] = [];
  const total = (kind: Figure['nodeKind'], key: string, children: Figure[]): Figure | undefined => {
    const leaves = [...new Set(children.flatMap((child) => child.leaves))].sort((a, b) => a - b);
    if (children.length === 0) return undefined;
    const sum = children.reduce((accumulated, child) => accumulated + (child.tco2e ?? 0), 0);
    const parent = add({
      id: `${kind}:${key}`,
      nodeKind: kind,
      nodeKey: key,
      rowKey: kind === 'commune' ? key : null,
      gpcRef: kind === 'gpc' ? key : null,
      tco2e: leaves.length === 0 ? null : sum,
      masked: false,
      reason: null,
      deliveryPoints: null,
      dominanceBasis: null,
      leaves,
    });
    equations.push({ parent, children });
    return parent;
  };
  const groupBy = <T>(items: readonly T[], key: (item: T) => string) => {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
    return [...map].sort(([a], [b]) => a.localeCompare(b));
  };

  const rows = groupBy(leafFigures, (leaf) => leaf.rowKey!).flatMap(
    ([key, leaves]) => total('commune', key, leaves) ?? [],
  );
  const columnOf = new Map<string, Figure>();
  for (const [key, leaves] of groupBy(leafFigures, (leaf) => leaf.gpcRef!)) {
    const column = total('gpc', key, leaves);
    if (column) columnOf.set(key, column);
  }
  const columnsBy = (key: (group: SubsectorGroups) => string, kind: Figure['nodeKind']) =>
    groupBy(
      groups.filter((group) => columnOf.has(group.gpcRef)),
      key,
    ).flatMap(
      ([name, members]) =>
        total(
          kind,
          name,
          members.map((member) => columnOf.get(member.gpcRef)!),
        ) ?? [],
    );
  const sectors = columnsBy((group) => group.sector, 'sector');
  const pcaet = columnsBy((group) => group.pcaetSector, 'pcaet');
  const scopes = columnsBy((group) => String(group.scope), 'scope');
  const grand = total('total', 'total', sectors);
  if (grand) {
    for (const children of [rows, pcaet, scopes]) equations.push({ parent: grand, children });
  }
  return { figures, byId, equations, valuedCount };
}

// TODO(secrecy): the audit prevents exact recovery only, not narrow bounds (values are never
// negative), and the masks it chooses are not the fewest possible.
function maskOnce(
  cells: readonly SecrecyCell[],
  groups: readonly SubsectorGroups[],
  settings: SecrecySettings,
): Figure[] {
  const { figures, equations, valuedCount } = buildFigures(cells, groups);
  const cellsOnly = figures.filter((figure) => figure.nodeKind === 'cell');
  cells.forEach((cell) => {
    const figure = cellsOnly.find((item) => item.nodeKey === `${cell.rowKey}|${cell.gpcRef}`);
    const reason = figure ? primaryReason(cell, settings) : null;
    if (figure && reason) Object.assign(figure, { masked: true, reason });
  });
  const mask = (figure: Figure) => Object.assign(figure, { masked: true, reason: 'secondary' });

  const heuristicPass = (): boolean => {
    let changed = false;
    for (const equation of equations) {
      const { parent, children } = equation;
      // A provider secret counts as masked, so it forces the masking of its complements.
      if ([parent, ...children].filter((item) => item.masked).length !== 1) continue;
      const [candidate] = preferredOrder(
        children.filter((child) => !child.masked && child.tco2e !== null),
        equations,
        equation,
      );
      const chosen = candidate ?? (!parent.masked && parent.tco2e !== null ? parent : undefined);
      if (chosen) {
        mask(chosen);
        changed = true;
      }
    }
    return changed;
  };

  /** The masked figures whose value follows from the published ones, by linear algebra. */
  const audit = () => {
    const unknown = new Map<number, number>();
    for (const figure of cellsOnly) {
      if (figure.masked && figure.leaves.length === 1) unknown.set(figure.leaves[0]!, unknown.size);
    }
    const vectorOf = (figure: Figure) => {
      const vector = new Array<number>(unknown.size).fill(0);
      for (const leaf of figure.leaves) {
        const position = unknown.get(leaf);
        if (position !== undefined) vector[position] = 1;
      }
      return vector;
    };
    const inSpan = spanOf(
      figures.filter((figure) => !figure.masked && figure.tco2e !== null).map(vectorOf),
    );
    const determined = figures
      .filter((figure) => figure.masked && figure.tco2e !== null && inSpan(vectorOf(figure)))
      .sort((a, b) => a.id.localeCompare(b.id));
    return { determined, vectorOf };
  };

  const auditPass = (): boolean => {
    const {
      determined: [determined],
      vectorOf,
    } = audit();
    if (determined === undefined) return false;

    const sharesLeaf = (figure: Figure) =>
      figure.leaves.some((leaf) => determined.leaves.includes(leaf));
    const open = (figure: Figure) => !figure.masked && figure.tco2e !== null;
    const neighbours = cellsOnly.filter(
      (figure) =>
        open(figure) &&
        figure !== determined &&
        (determined.nodeKind === 'cell'
          ? figure.rowKey === determined.rowKey || figure.gpcRef === determined.gpcRef
          : sharesLeaf(figure)),
    );
    const totals = figures.filter(
      (figure) =>
        figure.nodeKind !== 'cell' && figure !== determined && open(figure) && sharesLeaf(figure),
    );
    const candidates = [
      ...preferredOrder(neighbours, equations, undefined),
      ...preferredOrder(totals, equations, undefined),
    ];
    // The first candidate that alone makes the figure undetermined; else the first one.
    const resolving = candidates.find((candidate) => {
      candidate.masked = true;
      const stillDetermined = audit().determined.includes(determined);
      candidate.masked = false;
      return !stillDetermined;
    });
    // A total that gives the figure away by itself, with no part left to mask, must go.
    const target = vectorOf(determined).join();
    const revealing = totals
      .filter((total) => vectorOf(total).join() === target)
      .filter(
        (total) => !cellsOnly.some((leaf) => open(leaf) && total.leaves.includes(leaf.leaves[0]!)),
      )
      .sort((a, b) => a.leaves.length - b.leaves.length || a.id.localeCompare(b.id))[0];
    const chosen = resolving ?? revealing ?? candidates[0];
    if (chosen === undefined) return false;
    mask(chosen);
    return true;
  };

  // Each pass masks at least one more figure or ends, so the loop is bounded by their number.
  for (let pass = 0; pass <= figures.length + valuedCount; pass += 1) {
    if (!heuristicPass() && !auditPass()) break;
  }
  return figures;
}

/** Masks the commune × sub-sector table and its totals; returns every figure with its flag. */
export function maskFigures(
  cells: readonly SecrecyCell[],
  groups: readonly SubsectorGroups[],
  settings: SecrecySettings,
): MaskedFigure[] {
  return maskOnce(cells, groups, settings).map(({ id: _id, leaves: _leaves, ...figure }) => figure);
}
