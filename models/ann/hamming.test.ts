import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileWat } from "../../scripts/wat";
import { HAMMING_WASM_BASE64 } from "./hamming-wasm";
import { SignBitIndex, mulberry32 } from "./index";

// The kernel against the plainest possible version: count the differing bits one by one.
function popcount(x: number): number {
  let c = 0;
  for (let v = x >>> 0; v; v >>>= 1) c += v & 1;
  return c;
}

type Kernel = {
  memory: WebAssembly.Memory;
  hamming(codes: number, count: number, words: number, query: number, dist: number, hist: number): void;
  collect(dist: number, count: number, lo: number, hi: number, out: number): number;
};

describe("hamming kernel (WebAssembly)", () => {
  const bytes = Uint8Array.from(Buffer.from(HAMMING_WASM_BASE64, "base64"));

  it("is what hamming.wat compiles to (run `npm run build:wasm` after editing the .wat)", async () => {
    const source = readFileSync(new URL("./hamming.wat", import.meta.url), "utf8");
    expect(Buffer.from(await compileWat(source)).toString("base64")).toBe(HAMMING_WASM_BASE64);
  });

  it("measures every code's Hamming distance and their histogram, and collects slots by distance", () => {
    const k = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Kernel;
    const words32 = 6; // 3 i64 words: 192 bits
    const count = 500;
    const random = mulberry32(9);
    const [query, hist, dist, out, codes] = [0, 64, 64 + 193 * 4, 64 + 193 * 4 + 1000, 64 + 193 * 4 + 1000 + 2000];
    const u32 = () => Math.floor(random() * 2 ** 32);
    const mem = new Uint32Array(k.memory.buffer);
    for (let w = 0; w < words32; w++) mem[query / 4 + w] = u32();
    for (let i = 0; i < count * words32; i++) mem[codes / 4 + i] = u32();
    new Uint32Array(k.memory.buffer, hist, 193).fill(0);
    k.hamming(codes, count, words32 / 2, query, dist, hist);

    const expected = Array.from({ length: count }, (_, s) => {
      let d = 0;
      for (let w = 0; w < words32; w++) d += popcount(mem[codes / 4 + s * words32 + w]! ^ mem[query / 4 + w]!);
      return d;
    });
    expect(Array.from(new Uint16Array(k.memory.buffer, dist, count))).toEqual(expected);
    const histogram = new Array(193).fill(0);
    for (const d of expected) histogram[d]++;
    expect(Array.from(new Uint32Array(k.memory.buffer, hist, 193))).toEqual(histogram);

    const [lo, hi] = [90, 96];
    const n = k.collect(dist, count, lo, hi, out);
    const slots = expected.flatMap((d, s) => (d >= lo && d <= hi ? [s] : []));
    expect(slots.length).toBeGreaterThan(0);
    expect(Array.from(new Uint32Array(k.memory.buffer, out, n))).toEqual(slots);
  });

  it("keeps codes through growth of the index's memory (relayout moves them)", () => {
    const dim = 64;
    const index = new SignBitIndex(dim, { keepVectors: true, initialCapacity: 16 });
    const random = mulberry32(3);
    const vectors = Array.from({ length: 5000 }, () => {
      const v = Float32Array.from({ length: dim }, () => random() - 0.5);
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    });
    vectors.forEach((v, i) => index.add(i, v));
    // Each vector's own code is at distance 0: with one candidate it must find itself.
    for (const i of [0, 15, 16, 1023, 4999]) expect(index.search(vectors[i]!, 1, { candidates: 1 })[0]!.id).toBe(i);
  });
});
