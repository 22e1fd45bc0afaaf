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

/** The bundled Universal Sentence Encoder Lite (512-d, English), loaded from the repo, never a hub. */
export class UseLiteEmbedder implements Embedder {
  readonly id = "use-lite-en@1";
  readonly dim = 512;
  constructor(private readonly extractor: FeatureExtractionPipeline) {}

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    // The encoder has no notion of an empty text; a space gives a stable, neutral vector.
    const out = await this.extractor(texts.map((t) => t.trim() || " "), { pooling: "mean", normalize: true });
    const data = out.data as Float32Array;
    return texts.map((_, i) => data.slice(i * this.dim, (i + 1) * this.dim));
  }
}

let loading: Promise<UseLiteEmbedder> | undefined;
export function loadUseLite(): Promise<UseLiteEmbedder> {
  loading ??= (async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelsFolder() + "/";
    const extractor = (await pipeline("feature-extraction", "use-lite-en", { quantized: false })) as FeatureExtractionPipeline;
    return new UseLiteEmbedder(extractor);
  })();
  return loading;
}
