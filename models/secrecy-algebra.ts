/**
 * The linear algebra and the choices behind secondary masking (`secrecy.ts`): whether a masked
 * figure follows from the published ones, and which figure to mask next.
 */

const tolerance = 1e-9;

/** Incremental echelon basis: tells whether a vector is a combination of those added. */
export function spanOf(vectors: readonly number[][]): (target: number[]) => boolean {
  const basis: { pivot: number; row: number[] }[] = [];
  const reduce = (row: number[]) => {
    for (const item of basis) {
      const coefficient = row[item.pivot]!;
      if (Math.abs(coefficient) > tolerance) {
        for (let index = 0; index < row.length; index += 1) {
          row[index]! -= coefficient * item.row[index]!;
        }
      }
    }
  };
  for (const vector of vectors) {
    const row = [...vector];
    reduce(row);
    const pivot = row.findIndex((value) => Math.abs(value) > tolerance);
    if (pivot < 0) continue;
    const scale = row[pivot]!;
    basis.push({ pivot, row: row.map((value) => value / scale) });
  }
  return (target) => {
    const row = [...target];
    reduce(row);
    return row.every((value) => Math.abs(value) <= tolerance);
  };
}

/** What the choice of a mask needs to know of a figure. */
export interface Maskable {
  id: string;
  tco2e: number | null;
  masked: boolean;
}

/** A published total and its direct parts. */
export interface Equation<T extends Maskable> {
  parent: T;
  children: T[];
}

/**
 * Orders the candidates for a secondary mask: first those that pair with a masked figure in
 * their other equations rather than leave a new one alone there (fewer masks in cascade),
 * then the smallest value, so that as little information as possible is withheld.
 */
export function preferredOrder<T extends Maskable>(
  candidates: readonly T[],
  equations: readonly Equation<T>[],
  current: Equation<T> | undefined,
): T[] {
  const cost = (candidate: T) => {
    let total = 0;
    for (const equation of equations) {
      if (equation === current) continue;
      const members = [equation.parent, ...equation.children];
      if (!members.includes(candidate)) continue;
      // A provider secret is in none of our sums, so it pairs with nothing.
      const masked = members.filter(
        (item) => item !== candidate && item.masked && item.tco2e !== null,
      ).length;
      const openParts = equation.children.filter(
        (item) => item !== candidate && !item.masked && item.tco2e !== null,
      ).length;
      if (masked === 1) total -= 1;
      // Masked alone in an equation, a figure is given away by it: a cascade of masks follows.
      else if (masked === 0) {
        total += equation.parent === candidate || openParts === 0 ? 10 : 1;
      }
    }
    return total;
  };
  const scored = candidates.map((candidate) => ({ candidate, cost: cost(candidate) }));
  scored.sort(
    (a, b) =>
      a.cost - b.cost ||
      Math.abs(a.candidate.tco2e ?? 0) - Math.abs(b.candidate.tco2e ?? 0) ||
      a.candidate.id.localeCompare(b.candidate.id),
  );
  return scored.map((item) => item.candidate);
}

/** Masks the commune × sub-sector table and its totals; returns every figure with its flag. */
