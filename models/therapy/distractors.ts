// Comprehension distractors (issue 14): three other pictures to choose among, so the right one is not
// obvious. Pure and deterministic by seed.
import { mulberry32 } from "../random";

export type Candidate = {
  id: number;
  title: string;
  /** 0: shares the target's interest; 1: a neighbouring interest (same parent); 2: anything else (same board). */
  tier: 0 | 1 | 2;
};

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase().trim();

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Picks `count` distractors: up to two from the same interest (close in meaning, so the choice needs
 * understanding), then from neighbouring interests, then from the rest; never the target, never a card
 * with the same word (two "apple" pictures would make two right answers), never the same word twice.
 * Returns the choices (target included) in a seeded order and the distractors chosen.
 */
export function chooseDistractors(
  target: { id: number; title: string },
  candidates: readonly Candidate[],
  seed: number,
  count = 3,
): { distractors: Candidate[]; order: number[] } {
  const rnd = mulberry32(seed);
  const words = new Set([fold(target.title)]);
  const pool = candidates.filter((c) => c.id !== target.id);
  const byTier = [0, 1, 2].map((t) =>
    shuffle(
      pool.filter((c) => c.tier === t).sort((a, b) => a.id - b.id),
      rnd,
    ),
  );
  const picked: Candidate[] = [];
  const take = (list: Candidate[], max: number) => {
    for (const c of list) {
      if (picked.length >= count || max <= 0) return;
      const w = fold(c.title);
      if (words.has(w) || picked.some((p) => p.id === c.id)) continue;
      words.add(w);
      picked.push(c);
      max--;
    }
  };
  take(byTier[0]!, 2);
  take(byTier[1]!, count);
  take(byTier[0]!, count);
  take(byTier[2]!, count);
  const order = shuffle([target.id, ...picked.map((p) => p.id)], rnd);
  return { distractors: picked, order };
}

/** A seed from a string (learner, card, sitting step), so reloading the page shows the same choices. */
export function seedOf(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const ch of parts.join(":")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
