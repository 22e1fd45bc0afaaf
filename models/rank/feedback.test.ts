import { describe, expect, it } from "vitest";
import { feedbackScores, feedbackTerms, relevanceModel, type FeedbackDoc } from "./feedback";

// The plain version: every formula written out term by term, no maps reused.
function plainModel(fb: { doc: FeedbackDoc; score: number }[], k: number) {
  const vocab = new Set(fb.flatMap((f) => [...feedbackTerms(f.doc.title), ...feedbackTerms(f.doc.body)]));
  const total = fb.reduce((s, f) => s + f.score, 0);
  const weights: [string, number][] = [];
  for (const w of vocab) {
    let p = 0;
    for (const f of fb) {
      const t = feedbackTerms(f.doc.title);
      const b = feedbackTerms(f.doc.body);
      const len = 3 * t.length + b.length;
      const n = 3 * t.filter((x) => x === w).length + b.filter((x) => x === w).length;
      p += (f.score / total) * (n / len);
    }
    weights.push([w, p]);
  }
  weights.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = weights.slice(0, k);
  const z = top.reduce((s, [, v]) => s + v, 0);
  return top.map(([term, v]) => ({ term, weight: v / z }));
}

function plainScore(model: { term: string; weight: number }[], docs: FeedbackDoc[], df: Map<string, number>, n: number) {
  const len = (d: FeedbackDoc) => 3 * feedbackTerms(d.title).length + feedbackTerms(d.body).length;
  const avg = docs.reduce((s, d) => s + len(d), 0) / docs.length;
  return docs.map((d) => {
    let s = 0;
    for (const { term, weight } of model) {
      const f = 3 * feedbackTerms(d.title).filter((x) => x === term).length + feedbackTerms(d.body).filter((x) => x === term).length;
      if (!f) continue;
      const dfv = df.get(term) ?? 0;
      const idf = Math.log(1 + (n - dfv + 0.5) / (dfv + 0.5));
      s += (weight * idf * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * len(d)) / avg));
    }
    return s;
  });
}

const WORDS = "flow slip gas rarefied knudsen heat wing shock wave pressure boundary layer plate cone".split(" ");
function randomDocs(seed: number, count: number): FeedbackDoc[] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const text = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]).join(" ");
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    title: text(1 + Math.floor(next() * 4)),
    body: text(5 + Math.floor(next() * 20)),
  }));
}

describe("pseudo-relevance feedback", () => {
  it("drops function words and plural s, keeps words", () => {
    expect(feedbackTerms("The flows of heated gases in a Boundary layer")).toEqual(["flow", "heated", "gase", "boundary", "layer"]);
  });

  it("matches the plain relevance model and BM25 on random collections", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const docs = randomDocs(seed, 30);
      const fb = docs.slice(0, 10).map((doc, i) => ({ doc, score: 10 - i * 0.7 }));
      const model = relevanceModel(fb, 6);
      const plain = plainModel(fb, 6);
      expect(model.map((m) => m.term)).toEqual(plain.map((m) => m.term));
      model.forEach((m, i) => expect(m.weight).toBeCloseTo(plain[i]!.weight, 12));
      const df = new Map(WORDS.map((w, i) => [w, 1 + ((i * 37 + seed) % 200)]));
      const got = feedbackScores(model, docs, df, 1400);
      const want = plainScore(plain, docs, df, 1400);
      docs.forEach((d, i) => expect(got.get(d.id)!).toBeCloseTo(want[i]!, 10));
    }
  });

  it("scores a card that holds the feedback's words but not the query's", () => {
    const fb = [
      { doc: { id: 1, title: "slip flow", body: "rarefied gas knudsen number slip flow" }, score: 8 },
      { doc: { id: 2, title: "slip flow heat transfer", body: "rarefied gas near the wall" }, score: 6 },
    ];
    const model = relevanceModel(fb);
    const other = { id: 3, title: "knudsen number effects", body: "rarefied gas dynamics" };
    const unrelated = { id: 4, title: "wing flutter", body: "aeroelastic models of wings" };
    const s = feedbackScores(model, [...fb.map((f) => f.doc), other, unrelated], new Map(), 100);
    expect(s.get(3)!).toBeGreaterThan(0);
    expect(s.get(4)).toBe(0);
  });

  it("gives nothing without positive feedback", () => {
    expect(relevanceModel([])).toEqual([]);
    expect(relevanceModel([{ doc: { id: 1, title: "a", body: "" }, score: 0 }])).toEqual([]);
  });
});
