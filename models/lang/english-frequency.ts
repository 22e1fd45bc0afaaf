import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * How common an English word is, 0–1, from the sentence encoder's own tokenizer: its Unigram
 * vocabulary (8 000 pieces) gives each whole word a log-probability. A word outside it (often a rare
 * word: "currishness", "aviatrixes") scores 0 — and the encoder reads it only as sub-word pieces, so
 * preferring in-vocabulary senses also gives the encoder words it knows. Used to order a foreign word's
 * English senses when the dictionaries give no useful order (ara-eng lists الجبن as cowardice and cheese).
 */
export type EnglishFrequency = (word: string) => number;

function tokenizerPath(): string {
  const beside = resolve(dirname(fileURLToPath(import.meta.url)), "../use-lite-en/tokenizer.json");
  return existsSync(beside) ? beside : resolve(process.cwd(), "models/use-lite-en/tokenizer.json");
}

/** log-probability −6 (very common) → 1, −13 or absent → 0, linear between. */
export function loadEnglishFrequency(path = tokenizerPath()): EnglishFrequency {
  if (!existsSync(path)) return () => 0;
  const vocab = (JSON.parse(readFileSync(path, "utf8")) as { model?: { vocab?: [string, number][] } }).model?.vocab ?? [];
  const score = new Map<string, number>();
  for (const [piece, logp] of vocab) if (piece.startsWith("▁") && piece.length > 2) score.set(piece.slice(1), logp);
  return (word) => {
    const s = score.get(word.toLowerCase());
    return s === undefined ? 0 : Math.max(0, Math.min(1, (s + 13) / 7));
  };
}
