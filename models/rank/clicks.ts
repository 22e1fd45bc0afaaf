// A position-based click model (Craswell et al. 2008; the PBM of the unbiased learning-to-rank
// literature), used to turn relevance judgments into engagement for `train:ranker --simulate`: a
// searcher examines position k (0-based) with probability 1/(k+1)^η, and an examined card is acted
// on according to how relevant it is. Pure and seeded.
//
//   examined        P = (1 / (k + 1))^eta                              (eta = 1)
//   click | exam.   P = 0.05 for an unjudged card, 0.25 + 0.65 · g/G for a card of grade g ≥ 1 of G
//   close-up | click P = 0.1 unjudged, 0.3 + 0.5 · g/G judged
//   save | close-up P = 0 unjudged, 0.5 · g/G judged
//   hide | exam., no click  P = 0.02 unjudged, 0 judged
//   every examined card also logs an impression (what the page's IntersectionObserver reports).

export type ClickModel = { eta: number; noise: number; clickBase: number; clickSlope: number };
export const DEFAULT_CLICK_MODEL: ClickModel = { eta: 1, noise: 0.05, clickBase: 0.25, clickSlope: 0.65 };

export type SimulatedCard = { examined: boolean; actions: string[] };

export function examineProbability(position: number, eta = DEFAULT_CLICK_MODEL.eta): number {
  return Math.pow(1 / (position + 1), eta);
}

/** Simulates one searcher on one served list; `grades[k]` is the judged grade of the card at position k (0 = not relevant). */
export function simulateSession(
  grades: readonly number[],
  maxGrade: number,
  rand: () => number,
  m: ClickModel = DEFAULT_CLICK_MODEL,
): SimulatedCard[] {
  return grades.map((g, k) => {
    const actions: string[] = [];
    if (rand() >= examineProbability(k, m.eta)) return { examined: false, actions };
    actions.push("impression");
    const r = maxGrade > 0 ? Math.min(1, Math.max(0, g / maxGrade)) : 0;
    const pClick = g > 0 ? m.clickBase + m.clickSlope * r : m.noise;
    if (rand() < pClick) {
      actions.push("click");
      if (rand() < (g > 0 ? 0.3 + 0.5 * r : 0.1)) {
        actions.push("closeup");
        if (g > 0 && rand() < 0.5 * r) actions.push("save");
      }
    } else if (g <= 0 && rand() < 0.02) actions.push("hide");
    return { examined: true, actions };
  });
}
