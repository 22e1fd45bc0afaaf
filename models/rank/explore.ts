// Exploration for ranked lists: a small randomised share of lists puts one card from further down into
// one of the top slots, and logs the probability with which that card was put there (its propensity),
// so training can tell what a card earns when shown high from where the ranker happened to put it.

export type ExplorePolicy = { share: number; topSlots: number; poolFrom: number; poolTo: number };
/** One list in ten; a slot among the first 10 gets a card ranked 11th–50th. */
export const DEFAULT_EXPLORE: ExplorePolicy = { share: 0.1, topSlots: 10, poolFrom: 10, poolTo: 50 };

export type Explored<T> = { items: T[]; propensity: (number | null)[] };

/**
 * With probability `share`, swaps one uniformly chosen card of positions [poolFrom, poolTo) into one
 * uniformly chosen slot of [0, topSlots). That card's propensity is share / (slots · pool size); every
 * other card's is null (it is where the ranker put it, or where the swap pushed it).
 */
export function explore<T>(items: readonly T[], rand: () => number, p: ExplorePolicy = DEFAULT_EXPLORE): Explored<T> {
  const out = items.slice();
  const propensity: (number | null)[] = out.map(() => null);
  const slots = Math.min(p.topSlots, out.length);
  const pool = Math.min(p.poolTo, out.length) - p.poolFrom;
  if (slots <= 0 || pool <= 0 || rand() >= p.share) return { items: out, propensity };
  const slot = Math.floor(rand() * slots);
  const from = p.poolFrom + Math.floor(rand() * pool);
  const [card] = out.splice(from, 1);
  out.splice(slot, 0, card!);
  propensity.splice(from, 1);
  propensity.splice(slot, 0, p.share / (slots * pool));
  return { items: out, propensity };
}
