// Latency and recall of SignBitIndex against exact brute force on synthetic clustered embeddings.
//
//   npx tsx bench/ann.ts [--sizes 10000,100000,1000000] [--queries 200] [--dim 512] [--seed 1]
//
// Defaults to 10k and 100k. 1M only when asked: the bench holds the generated floats (2 GB at 1M×512)
// plus a second resident copy inside the keepVectors index (another 2 GB), so plan on ~5 GB of RAM
// and several minutes, mostly the exact baseline (200 full scans).
import { performance } from "node:perf_hooks";
import { SignBitIndex, clusteredUnitVectors, exactSearch, queriesNear, type Hit, type SearchOptions } from "../models/ann/index";

const K = 10;
const CANDIDATES = [200, 400, 1000];
const WARMUP = 10;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const sizes = arg("sizes", "10000,100000").split(",").map((s) => Number(s.replace(/_/g, "")));
const queryCount = Number(arg("queries", "200"));
const dim = Number(arg("dim", "512"));
const seed = Number(arg("seed", "1"));

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
  recall: number | null;
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
  let t0 = performance.now();
  const { vectors, labels } = clusteredUnitVectors(n, dim, { clusters, seed });
  const queries = queriesNear(vectors, dim, queryCount, 0.5, seed + 1);
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  console.log(`\n${n.toLocaleString("en")} vectors × ${dim}, ${clusters} clusters: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s, RSS ${mb(rss())}`);

  const exact = timeQueries(queries, (q) => exactSearch(vectors, ids, dim, q, K));
  const truth = exact.results;
  rows.push({ size: n, method: "exact brute force", build: "-", p50: exact.p50, p95: exact.p95, recall: 1, bytes: `${dim * 4}` });

  // How hard the data is: a top-10 drawn from a single cluster would be trivial for any index.
  const distinct = truth.reduce((s, hits) => s + new Set(hits.map((h) => labels[h.id])).size, 0) / truth.length;
  const gap = truth.reduce((s, hits) => s + (hits[1].score - hits[K - 1].score), 0) / truth.length;
  console.log(`exact top-10: ${distinct.toFixed(1)} distinct clusters on average; score 2nd − 10th ${gap.toFixed(3)}`);

  const build = (keepVectors: boolean) => {
    const before = rss();
    const start = performance.now();
    const index = new SignBitIndex(dim, { keepVectors, initialCapacity: n });
    for (let i = 0; i < n; i++) index.add(i, vectors.subarray(i * dim, i * dim + dim));
    const seconds = (performance.now() - start) / 1000;
    const measured = (rss() - before) / n;
    return { index, build: `${seconds.toFixed(2)} s`, bytes: `${index.bytesPerVector} (+${measured.toFixed(0)} RSS)` };
  };

  t0 = performance.now();
  const resident = build(true);
  for (const candidates of CANDIDATES) {
    const run = timeQueries(queries, (q) => resident.index.search(q, K, { candidates }));
    rows.push({
      size: n,
      method: `signbit C=${candidates}, resident floats`,
      build: candidates === CANDIDATES[0] ? resident.build : "",
      p50: run.p50,
      p95: run.p95,
      recall: meanRecall(run.results, truth),
      bytes: candidates === CANDIDATES[0] ? resident.bytes : "",
    });
  }

  // The production shape: codes only, floats supplied per query (here views of the generated array;
  // the service reads them from SQLite, which this does not measure).
  const codesOnly = build(false);
  const fetchVectors: SearchOptions["fetchVectors"] = (wanted) =>
    new Map(wanted.map((id) => [id, vectors.subarray(id * dim, id * dim + dim)]));
  for (const candidates of CANDIDATES) {
    const run = timeQueries(queries, (q) => codesOnly.index.search(q, K, { candidates, fetchVectors }));
    rows.push({
      size: n,
      method: `signbit C=${candidates}, fetchVectors`,
      build: candidates === CANDIDATES[0] ? codesOnly.build : "",
      p50: run.p50,
      p95: run.p95,
      recall: meanRecall(run.results, truth),
      bytes: candidates === CANDIDATES[0] ? codesOnly.bytes : "",
    });
  }
  console.log(`RSS with both indexes: ${mb(rss())}`);
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
    r.recall === null ? "-" : r.recall.toFixed(3),
    r.bytes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((s, i) => (i < 2 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join(" | ")} |`;
  console.log(`\n${line(header)}\n|${widths.map((w, i) => (i < 2 ? "-" : "") + "-".repeat(w + 1) + (i < 2 ? "" : ":")).join("|")}|`);
  for (const c of cells) console.log(line(c));
}

if (sizes.some((n) => n >= 1_000_000)) {
  console.log("Note: 1M×512 keeps ~4 GB of floats resident (generated data + the keepVectors index) and takes minutes.");
}
console.log(`node ${process.version}, k=${K}, ${queryCount} queries near the data (noise norm 0.5), ${WARMUP} warm-up queries per method`);
const all: Row[] = [];
for (const n of sizes) all.push(...benchSize(n));
printTable(all);
console.log(`\nbytes/vector: typed-array storage (codes ${Math.ceil(dim / 32) * 4} B + id 4 B + distance 2 B [+ floats]) and (+RSS growth per vector while building, incl. the id Map).`);
console.log(`final RSS ${mb(rss())}`);
