/**
 * A seeded pseudo-random source (xorshift32 over a mixed seed), so that a generator run with
 * the same seed writes the same bytes on every machine. Not for anything secret.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [minimum, maximum], both included. */
  integer(minimum: number, maximum: number): number;
  /** A value around `median`, spread by a log-normal factor of `spread` (0.5 ≈ ×1.6). */
  logNormal(median: number, spread: number): number;
  pick<Item>(items: readonly Item[]): Item;
  /** True with probability `probability`. */
  chance(probability: number): boolean;
}

/** Folds a seed and a label into one 32-bit state, so that each file draws its own stream. */
function mixSeed(seed: number, label: string): number {
  let state = (seed ^ 0x9e3779b9) >>> 0;
  for (let index = 0; index < label.length; index += 1) {
    state = Math.imul(state ^ label.charCodeAt(index), 0x85ebca6b) >>> 0;
    state = (state ^ (state >>> 13)) >>> 0;
  }
  return state === 0 ? 0x6d2b79f5 : state;
}

export function createRandom(seed: number, label: string): Random {
  let state = mixSeed(seed, label);
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4_294_967_296;
  };
  // A few draws first: the first outputs of xorshift follow the seed's bits too closely.
  for (let warmUp = 0; warmUp < 8; warmUp += 1) next();

  return {
    next,
    integer: (minimum, maximum) => minimum + Math.floor(next() * (maximum - minimum + 1)),
    logNormal(median, spread) {
      // Box-Muller: one standard normal draw from two uniforms.
      const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(spread * normal);
    },
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (probability) => next() < probability,
  };
}
