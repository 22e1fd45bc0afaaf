import { createHash } from "node:crypto";

/** Turns texts into unit vectors. Implementations: the bundled sentence encoder; tests may use others. */
export interface Embedder {
  readonly id: string;
  readonly dim: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** What the caller knows of where a translation will be searched (a translator may ignore it). */
export type TranslationHints = {
  /** Which of these words of the target language (lower case) the searched collection contains. */
  present?: (words: string[]) => Promise<Set<string>>;
  /**
   * Senses kept per word (a dictionary translator's default otherwise): 1 for a label a person reads,
   * such as a printed card's second word ("pomme", not "pomme pommier").
   */
  senses?: number;
};

/** Translates texts between languages, or says it cannot. */
export interface Translator {
  readonly id: string;
  /** Into English (what the encoder reads) from `from`. */
  canTranslate(from: string): boolean;
  toEnglish(texts: string[], from: string, hints?: TranslationHints): Promise<string[]>;
  /** Any direction it has a pair for (used to index a card's words in the other language too). */
  canTranslateBetween(from: string, to: string): boolean;
  translate(texts: string[], from: string, to: string, hints?: TranslationHints): Promise<string[]>;
}

/** Content hash that decides whether a text must be embedded again (model id included). */
export function contentHash(modelId: string, text: string): string {
  return createHash("sha256").update(modelId).update("\u0000").update(text).digest("hex").slice(0, 32);
}

/**
 * Embeds in slices, so a long import never hands the model thousands of texts at once. Slices of 256
 * rather than 64: the encoder sorts each slice by length before padding its model batches, and the
 * wider the sort the less padding (~10–20 % more texts per second on card-like texts).
 */
export async function embedInBatches(embedder: Embedder, texts: string[], batchSize = 256): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += batchSize) out.push(...(await embedder.embed(texts.slice(i, i + batchSize))));
  return out;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export { UseLiteEmbedder, loadUseLite } from "./use-lite";
export { ApertiumTranslator, noTranslator } from "./apertium";
export { detectLanguage } from "./language";
export { CombinedTranslator, type FrenchRoute } from "./combined";
export { DictionaryTranslator } from "../lang/translator";
