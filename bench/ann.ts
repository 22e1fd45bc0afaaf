// Latency and recall of SignBitIndex against exact brute force on synthetic clustered embeddings.
//
//   npx tsx bench/ann.ts [--sizes 10000,100000,1000000] [--candidates 200,400,1000] [--queries 200]
//                        [--dim 512] [--seed 1] [--cluster-spread 0.3] [--common 0]
//
// --cluster-spread sets how far clusters of one topic sit apart (see clusteredUnitVectors): at 0.3 an
// exact top-10 mixes several clusters, at 0.5 it is nearly always one cluster, which is much easier.
// --common adds a shared direction to every vector (1 puts unrelated pairs near cosine 0.5), like the
// narrow cone real embedding models produce. Raw sign codes then lose bits; the "centred" rows use
// codes centred on the corpus mean.
//
// Defaults to 10k and 100k. 1M only when asked: the bench holds the generated floats (2 GB at 1M×512)
// plus a second resident copy inside the keepVectors index (another 2 GB), so plan on ~5 GB of RAM
// and several minutes, mostly the exact baseline (200 full scans).
import { performance } from "node:perf_hooks";
import {
  SignBitIndex,
  clusteredUnitVectors,
  exactSearch,
  meanVector,
  queriesNear,
  type Hit,
  type SearchOptions,
} from "../models/ann/index";

const K = 10;
const WARMUP = 10;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const sizes = arg("sizes", "10000,100000")
  .split(",")
  .map((s) => Number(s.replace(/_/g, "")));
const queryCount = Number(arg("queries", "200"));
const dim = Number(arg("dim", "512"));
const seed = Number(arg("seed", "1"));
const common = Number(arg("common", "0"));
const clusterSpread = Number(arg("cluster-spread", "0.3"));
const CANDIDATES = arg("candidates", "200,400,1000").split(",").map(Number);

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const rss = () => process.memoryUsage().rss;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

interface Row {
  size: number;
  method: string;
  build: string;
  p50: number;
  p95: number;
  recall: number;
  bytes: string;
}

function timeQueries(queries: Float32Array[], run: (q: Float32Array) => Hit[]): { results: Hit[][]; p50: number; p95: number } {
  for (let i = 0; i < Math.min(WARMUP, queries.length); i++) run(queries[i]);
  const times: number[] = [];
  const results: Hit[][] = [];
  for (const q of queries) {
    const t0 = performance.now();
    results.push(run(q));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { results, p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

function meanRecall(found: Hit[][], truth: Hit[][]): number {
  let sum = 0;
  for (let i = 0; i < truth.length; i++) {
    const want = new Set(truth[i].map((h) => h.id));
    sum += found[i].filter((h) => want.has(h.id)).length / truth[i].length;
  }
  return sum / truth.length;
}

function benchSize(n: number): Row[] {
  const rows: Row[] = [];
  // ~100 points per cluster, capped at 1,000 clusters: large corpora have big, overlapping clusters.
  const clusters = Math.min(1000, Math.max(50, Math.round(n / 100)));
  const t0 = performance.now();
  const { vectors, labels } = clusteredUnitVectors(n, dim, { clusters, seed, common, clusterSpread });
  const queries = queriesNear(vectors, dim, queryCount, 0.5, seed + 1);
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  console.log(
    `\n${n.toLocaleString("en")} vectors × ${dim}, ${clusters} clusters: generated in ${((performance.now() - t0) / 1000).toFixed(
      1,
    )} s, RSS ${mb(rss())}`,
  );

  const exact = timeQueries(queries, (q) => exactSearch(vectors, ids, dim, q, K));
  const truth = exact.results;
  rows.push({
    size: n,
    method: "exact brute force",
    build: "-",
    p50: exact.p50,
    p95: exact.p95,
    recall: 1,
    bytes: `${dim * 4}`,
  });

  // How hard the data is: a top-10 drawn from a single cluster would be trivial for any index.
  const distinct = truth.reduce((s, hits) => s + new Set(hits.map((h) => labels[h.id])).size, 0) / truth.length;
  const gap = truth.reduce((s, hits) => s + (hits[1].score - hits[K - 1].score), 0) / truth.length;
  console.log(`exact top-10: ${distinct.toFixed(1)} distinct clusters on average; score 2nd − 10th ${gap.toFixed(3)}`);

  const build = (options: { keepVectors?: boolean; center?: Float32Array }) => {
    const before = rss();
    const start = performance.now();
    const index = new SignBitIndex(dim, { ...options, initialCapacity: n });
    for (let i = 0; i < n; i++) index.add(i, vectors.subarray(i * dim, i * dim + dim));
    const seconds = (performance.now() - start) / 1000;
    const measured = (rss() - before) / n;
    return { index, seconds, bytes: `${index.bytesPerVector} (+${measured.toFixed(0)} RSS)` };
  };
  // The production shape keeps codes only and gets floats per query (here views of the generated
  // array; the service reads them from SQLite, whose cost this does not include).
  const fetchVectors: SearchOptions["fetchVectors"] = (wanted) =>
    new Map(wanted.map((id) => [id, vectors.subarray(id * dim, id * dim + dim)]));
  const meanStart = performance.now();
  const center = meanVector(vectors, dim);
  const meanSeconds = (performance.now() - meanStart) / 1000;
  const variants = [
    { name: "resident floats", built: build({ keepVectors: true }), extra: 0, fetch: undefined },
    { name: "fetchVectors", built: build({}), extra: 0, fetch: fetchVectors },
    { name: "centred, fetchVectors", built: build({ center }), extra: meanSeconds, fetch: fetchVectors },
  ];

  for (const { name, built, extra, fetch } of variants) {
    for (const candidates of CANDIDATES) {
      const run = timeQueries(queries, (q) => built.index.search(q, K, { candidates, fetchVectors: fetch }));
      const first = candidates === CANDIDATES[0];
      rows.push({
        size: n,
        method: `signbit C=${candidates}, ${name}`,
        build: first ? `${(built.seconds + extra).toFixed(2)} s` : "",
        p50: run.p50,
        p95: run.p95,
        recall: meanRecall(run.results, truth),
        bytes: first ? built.bytes : "",
      });
    }
  }
  console.log(`RSS with all three indexes: ${mb(rss())}`);
  return rows;
}

function printTable(rows: Row[]): void {
  const header = ["size", "method", "build", "p50 ms", "p95 ms", "recall@10", "bytes/vector"];
  const cells = rows.map((r) => [
    r.size.toLocaleString("en"),
    r.method,
    r.build,
    r.p50.toFixed(2),
    r.p95.toFixed(2),
    r.recall.toFixed(3),
    r.bytes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((s, i) => (i < 2 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join(" | ")} |`;
  console.log(`\n${line(header)}\n|${widths.map((w, i) => (i < 2 ? "-" : "") + "-".repeat(w + 1) + (i < 2 ? "" : ":")).join("|")}|`);
  for (const c of cells) console.log(line(c));
}

if (sizes.some((n) => n >= 1_000_000)) {
  console.log("Note: 1M×512 keeps ~4 GB of floats resident (generated data + the keepVectors index) and takes several minutes.");
}
console.log(
  `node ${process.version}, k=${K}, ${queryCount} queries near the data (noise norm 0.5), ` +
    `${WARMUP} warm-up queries per method, cluster spread ${clusterSpread}, common direction ${common}`,
);
const all: Row[] = [];
for (const n of sizes) all.push(...benchSize(n));
printTable(all);
console.log(
  `\nbytes/vector: typed-array storage (codes ${
    Math.ceil(dim / 32) * 4
  } B + id 4 B + distance 2 B [+ floats]) and (+RSS growth per vector while building, incl. the id Map).`,
);
console.log(`final RSS ${mb(rss())}`);
