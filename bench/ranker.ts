// Speed of the learning-to-rank library (models/rank/learn): training a 300-tree depth-6 LambdaMART
// GBDT on synthetic lists with 40 features, then scoring 500 candidates with compileModel, as the
// ranking stage does per request. The serving goal is ≤ 3 ms for 500 candidates including feature
// assembly, so the model's part should stay well under 1 ms.
//
//   npx tsx bench/ranker.ts                               # 200k rows (2,000 lists × 100), 300 trees
//   npx tsx bench/ranker.ts --rows 50000 --trees 100      # quick run
//   npx tsx bench/ranker.ts --objective logistic --repeats 2000
//
// The data: 40 features, uniform on [0, 1], ~10% missing in features 5–9. Relevance (0–3) depends
// non-linearly on features 0–7 (thresholds, an interaction, a missing-value effect) plus noise; the
// other features are noise (labels 0/1/2/3 come out about 69/13/5/13%). Timings are wall-clock on a
// shared machine: the load average is printed with them, and CPU time beside wall time for training.

import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { compileBatch, compileModel, meanNdcg, mulberry32, predict, predictMany, trainGbdt, type TrainingList } from "../models/rank/learn";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "200000" },
    perList: { type: "string", default: "100" },
    trees: { type: "string", default: "300" },
    depth: { type: "string", default: "6" },
    candidates: { type: "string", default: "500" },
    repeats: { type: "string", default: "1000" },
    objective: { type: "string", default: "lambdarank" },
    seed: { type: "string", default: "1" },
  },
});
const ROWS = Number(values.rows);
const PER = Number(values.perList);
const TREES = Number(values.trees);
const DEPTH = Number(values.depth);
const CANDIDATES = Number(values.candidates);
const REPEATS = Number(values.repeats);
const OBJECTIVE = values.objective === "logistic" ? "logistic" : "lambdarank";
const F = 40;
const rand = mulberry32(Number(values.seed));

function row(): number[] {
  const x = Array.from({ length: F }, () => rand());
  for (let j = 5; j < 10; j++) if (rand() < 0.1) x[j] = NaN;
  return x;
}
function relevance(x: number[]): number {
  let s = 1.5 * x[0]! + (x[1]! > 0.7 ? 1 : 0) + (x[2]! > 0.5 !== x[3]! > 0.5 ? 0.8 : 0) + 0.5 * x[4]! * (Number.isNaN(x[5]!) ? 0.5 : x[5]!);
  s += Number.isNaN(x[6]!) ? -0.5 : 0.6 * x[6]!;
  s += 0.3 * Math.sin(6 * x[7]!) + (rand() - 0.5) * 1.5;
  return s < 2.5 ? 0 : s < 3.1 ? 1 : s < 3.6 ? 2 : 3;
}
function lists(rows: number): TrainingList[] {
  return Array.from({ length: Math.ceil(rows / PER) }, () => {
    const x = Array.from({ length: PER }, row);
    const y = x.map((r) => (OBJECTIVE === "logistic" ? Math.min(1, relevance(r) >> 1) : relevance(r)));
    return { x, y };
  });
}
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

const train = lists(ROWS);
const valid = lists(20_000);
const names = Array.from({ length: F }, (_, i) => `f${i}`);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} (2 cores)`,
);
console.log(`training: ${train.length * PER} rows in ${train.length} lists × ${F} features, ${TREES} trees depth ${DEPTH}, ${OBJECTIVE}`);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const model = trainGbdt(train, names, {
  objective: OBJECTIVE,
  trees: TREES,
  depth: DEPTH,
  learningRate: 0.1,
  minLeaf: 20,
  bins: 64,
  l2: 1,
});
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  `  trained in ${wall.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (${model.trees.length} trees, ${(JSON.stringify(model).length / 1024).toFixed(0)} KiB as JSON)`,
);
if (OBJECTIVE === "lambdarank") {
  const r = mulberry32(9);
  const vs = valid.map((l) => predictMany(model, l.x));
  console.log(
    `  validation NDCG@10 ${meanNdcg(
      vs,
      valid.map((l) => l.y),
      10,
    ).toFixed(4)} (random order ${meanNdcg(
      valid.map((l) => l.x.map(() => r())),
      valid.map((l) => l.y),
      10,
    ).toFixed(4)})`,
  );
}

// Scoring: one request = CANDIDATES feature rows (Float64Array, as the feature assembler builds them).
const candidates = Array.from({ length: CANDIDATES }, () => Float64Array.from(row()));
const out = new Float64Array(CANDIDATES);
function time(label: string, scoreAll: () => void, repeats: number): void {
  const times: number[] = [];
  for (let rep = 0; rep < repeats + 50; rep++) {
    const s = performance.now();
    scoreAll();
    if (rep >= 50) times.push(performance.now() - s); // the first 50 warm the JIT up
  }
  times.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(38)} p50 ${fmt(pct(times, 0.5))}  p95 ${fmt(pct(times, 0.95))}  min ${fmt(times[0]!)}`);
}
console.log(`scoring ${CANDIDATES} candidates (Float64Array rows), ${REPEATS} repeats:`);
let c0 = performance.now();
const batch = compileBatch(model);
console.log(`  compileBatch took ${fmt(performance.now() - c0)}`);
c0 = performance.now();
const one = compileModel(model);
console.log(`  compileModel took ${fmt(performance.now() - c0)}`);
time("compileBatch(model)(rows, out)", () => batch(candidates, out), REPEATS);
time(
  "compileModel(model)(x), row by row",
  () => {
    for (let i = 0; i < CANDIDATES; i++) out[i] = one(candidates[i]!);
  },
  REPEATS,
);
time(
  "predict(model, x), plain tree walk",
  () => {
    for (let i = 0; i < CANDIDATES; i++) out[i] = predict(model, candidates[i]!);
  },
  Math.min(REPEATS, 200),
);
batch(candidates, out);
candidates.forEach((x, i) => {
  if (out[i] !== predict(model, x) || one(x) !== out[i]) throw new Error("compiled scorers disagree with predict");
});
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
