// The `npm run eval:recs` command end to end on a small generated ratings file (no item text, so no
// sentence encoder: PinSage gets seeded random content vectors and learns from the graph alone).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "tablero-eval-recs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 40 users in 4 taste groups over 160 items: each user rates 12 items of their group's 40, in time order. */
function ratingsCsv(header: string): string {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = [header];
  for (let u = 0; u < 40; u++) {
    const group = u % 4;
    const picked = new Set<number>();
    while (picked.size < 12) picked.add(group * 40 + Math.floor(rand() * 40));
    [...picked].forEach((item, k) =>
      lines.push(header.startsWith("userId") ? `${u},${item},${1 + (k % 5)}.0,${1000 + k * 60}` : `u${u},i${item},${1000 + k * 60},save`),
    );
  }
  return lines.join("\n") + "\n";
}

function run(file: string, extra: string[] = []) {
  const child = spawnSync(
    join(root, "node_modules/.bin/tsx"),
    ["scripts/eval-recs.ts", "--ratings", file, "--json", "--seeds", "2", "--val-seeds", "1", "--pinsage-epochs", "1", ...extra],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  if (child.status !== 0) throw new Error(`eval-recs failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as {
    methods: Record<string, { "hr@10": number; "ndcg@10": number }>;
    blend: { weights: Record<string, number>; normalisation: string };
    protocol: { users: number; seeds: number[] };
    paired?: Record<string, { perSeed: { seed: number; "hr@10": number; "ndcg@10": number }[]; perUser?: { users: number } }>;
    retrieval?: {
      n: number[];
      headline: number;
      users: number;
      methods: Record<string, Record<string, number>>;
      paired: Record<string, { perUser: Record<string, { mean: number; se: number }>; perSeed: Record<string, number>[] }>;
    };
  };
}

describe("npm run eval:recs", () => {
  it("prints every method's HR@10 and NDCG@10 as JSON for a MovieLens-style file", () => {
    const file = join(dir, "ratings.csv");
    writeFileSync(file, ratingsCsv("userId,movieId,rating,timestamp"));
    const out = run(file);
    for (const m of [
      "popularity",
      "item-knn",
      "pixie",
      "pinsage",
      "pinnersage",
      "pinnersage-nearest-sampled",
      "pinnersage-lambda20",
      "blend",
      "ease",
      "mean-embedding",
      "rwr",
    ]) {
      const r = out.methods[m];
      expect(r, m).toBeDefined();
      expect(r!["hr@10"]).toBeGreaterThanOrEqual(0);
      expect(r!["hr@10"]).toBeLessThanOrEqual(1);
      expect(r!["ndcg@10"]).toBeGreaterThanOrEqual(0);
      expect(r!["ndcg@10"]).toBeLessThanOrEqual(r!["hr@10"] + 1e-9);
    }
    expect(out.protocol.users).toBe(40);
    expect(out.protocol.seeds).toEqual([1, 2]);
    expect(out.methods["pinsage-softmax"]).toBeUndefined(); // the other scoring rules only when named
    // The groups are clean: item-kNN and EASE must find the held-out item's group far above chance (0.1).
    expect(out.methods["item-knn"]!["hr@10"]).toBeGreaterThan(0.3);
    expect(out.methods.ease!["hr@10"]).toBeGreaterThan(0.3);
    expect(Object.keys(out.blend.weights).length).toBeGreaterThan(0);
    // PinnerSage against the mean embedding, paired by seed (the difference of the two rows) and by person.
    const d = out.paired!["pinnersage − mean-embedding"]!;
    expect(d.perSeed.map((p) => p.seed)).toEqual([1, 2]);
    const diff = out.methods.pinnersage!["ndcg@10"] - out.methods["mean-embedding"]!["ndcg@10"];
    expect((d.perSeed[0]!["ndcg@10"] + d.perSeed[1]!["ndcg@10"]) / 2).toBeCloseTo(diff, 3);
    expect(d.perUser!.users).toBe(40);
  }, 120_000);

  it("--retrieval: Recall@N from the whole catalogue for the mean embedding, the app's PinnerSage rule and references", () => {
    const file = join(dir, "ratings-retrieval.csv");
    writeFileSync(file, ratingsCsv("userId,movieId,rating,timestamp"));
    const out = run(file, ["--methods", "mean-embedding", "--no-blend", "--retrieval", "10,40,160"]);
    expect(Object.keys(out.methods)).toEqual(["mean-embedding"]); // the protocol rows are untouched
    const r = out.retrieval!;
    expect(r.n).toEqual([10, 40, 160]);
    expect(r.headline).toBe(10);
    expect(r.users).toBe(40);
    for (const m of [
      "popularity",
      "mean-embedding",
      "mean-embedding-centred",
      "pinsage",
      "pinnersage",
      "pinnersage-interleave",
      "pinnersage-all-medoids",
      "pinnersage-weighted-global",
    ]) {
      const x = r.methods[m]!;
      expect(x, m).toBeDefined();
      expect(x["recall@10"]).toBeGreaterThanOrEqual(0);
      expect(x["recall@10"]).toBeLessThanOrEqual(x["recall@40"]! + 1e-9);
      expect(x["recall@40"]).toBeLessThanOrEqual(1);
    }
    // At most 160 items: retrieving 160 returns everything the person did not rate in training, so
    // every method finds the held-out item (it is never left out as "rated").
    for (const [m, x] of Object.entries(r.methods)) expect(x["recall@160"], m).toBe(1);
    const d = r.paired["pinnersage − mean-embedding"]!;
    expect(d.perUser["recall@40"]!.mean).toBeCloseTo(r.methods.pinnersage!["recall@40"]! - r.methods["mean-embedding"]!["recall@40"]!, 3);
    expect(d.perSeed.map((p) => p.seed)).toEqual([1, 2]);
  }, 120_000);

  it("--split third holds out the third-to-last rating; named PinSage scoring rules run; pinsage − item-knn is paired by person", () => {
    const file = join(dir, "ratings.csv");
    writeFileSync(file, ratingsCsv("userId,movieId,rating,timestamp"));
    const out = run(file, ["--split", "third", "--methods", "item-knn,pinsage,pinsage-softmax,pinsage-all-softmax"]);
    expect(out.protocol.seeds).toEqual([2001]);
    expect(Object.keys(out.methods).sort()).toEqual(["item-knn", "pinsage", "pinsage-all-softmax", "pinsage-softmax"]);
    for (const x of Object.values(out.methods)) expect(x["hr@10"]).toBeGreaterThan(0);
    const d = out.paired!["pinsage − item-knn"]!;
    expect(d.perUser!.users).toBe(40);
    expect(d.perSeed[0]!["hr@10"]).toBeCloseTo(out.methods.pinsage!["hr@10"] - out.methods["item-knn"]!["hr@10"], 3);
  }, 120_000);

  it("reads the design's user,item,timestamp,action header too", () => {
    const file = join(dir, "engagement.csv");
    writeFileSync(file, ratingsCsv("user,item,timestamp,action"));
    const out = run(file, ["--methods", "popularity,item-knn", "--no-blend"]);
    expect(Object.keys(out.methods).sort()).toEqual(["item-knn", "popularity"]);
    expect(out.methods["item-knn"]!["hr@10"]).toBeGreaterThan(0.3);
  }, 120_000);
});
