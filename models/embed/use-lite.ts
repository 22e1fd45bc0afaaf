import { env, pipeline, type FeatureExtractionPipeline } from "@xenova/transformers";
import { dirname, resolve } from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Embedder } from "./index";

/** models/ when run from source; <cwd>/models when bundled into build/server. */
function modelsFolder(): string {
  const beside = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  return existsSync(resolve(beside, "use-lite-en")) ? beside : resolve(process.cwd(), "models");
}

type Tensorish = { dims: number[]; data: Float32Array };

/**
 * The bundled Universal Sentence Encoder Lite (512-d, English), loaded from the repo, never a hub:
 * its int8 file (onnx/model_quantized.onnx, made from model.onnx by scripts/quantize-encoder.py),
 * twice as fast as the float one on this CPU with vectors at cosine ≥ 0.998 to the float model's.
 */
export class UseLiteEmbedder implements Embedder {
  // The id is part of every content hash: a new file means every card is embedded again.
  readonly id = "use-lite-en-int8@2";
  readonly dim = 512;
  constructor(private readonly extractor: FeatureExtractionPipeline) {}

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    // Similar lengths in one batch pad less; results go back to the caller's order.
    const order = texts.map((t, i) => ({ t: t.trim() || " ", i })).sort((a, b) => a.t.length - b.t.length);
    const out = new Array<Float32Array>(texts.length);
    for (let s = 0; s < order.length; s += 32) {
      const batch = order.slice(s, s + 32);
      const vecs = await this.embedBatch(batch.map((b) => b.t));
      batch.forEach((b, j) => (out[b.i] = vecs[j]!));
    }
    return out;
  }

  /**
   * What the feature-extraction pipeline does with { pooling: "mean", normalize: true }, with the
   * pooling written over typed arrays: the library's own pooling took a third of the embedding time.
   */
  private async embedBatch(texts: string[]): Promise<Float32Array[]> {
    const { tokenizer, model } = this.extractor as unknown as {
      tokenizer: (t: string[], o: object) => { attention_mask: { data: BigInt64Array | number[]; dims: number[] } };
      model: (inputs: object) => Promise<{ last_hidden_state?: Tensorish; logits?: Tensorish }>;
    };
    const inputs = tokenizer(texts, { padding: true, truncation: true });
    const output = await model(inputs);
    const hidden = (output.last_hidden_state ?? output.logits)!;
    const [batch, tokens, dim] = hidden.dims as [number, number, number];
    const mask = inputs.attention_mask.data;
    const data = hidden.data;
    const result: Float32Array[] = [];
    for (let b = 0; b < batch; b++) {
      const v = new Float32Array(dim);
      for (let t = 0; t < tokens; t++) {
        if (!Number(mask[b * tokens + t])) continue;
        const off = (b * tokens + t) * dim;
        for (let d = 0; d < dim; d++) v[d]! += data[off + d]!;
      }
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += v[d]! * v[d]!;
      norm = Math.sqrt(norm) || 1;
      for (let d = 0; d < dim; d++) v[d] = v[d]! / norm; // mean then L2 = sum then L2
      result.push(v);
    }
    return result;
  }
}

let loading: Promise<UseLiteEmbedder> | undefined;
export function loadUseLite(): Promise<UseLiteEmbedder> {
  loading ??= (async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelsFolder() + "/";
    const extractor = (await pipeline("feature-extraction", "use-lite-en", { quantized: true })) as FeatureExtractionPipeline;
    return new UseLiteEmbedder(extractor);
  })();
  return loading;
}
