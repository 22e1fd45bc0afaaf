// The practice modes (issue 14), each with its own FSRS schedule (review.mode), and the semantic
// feature analysis questions. Pure.
import { PRACTICE_MODES, type PracticeMode } from "../../db/enums";

export { PRACTICE_MODES, type PracticeMode };

export function isPracticeMode(v: unknown): v is PracticeMode {
  return typeof v === "string" && (PRACTICE_MODES as readonly string[]).includes(v);
}

/** The guided questions of semantic feature analysis, in order: the keys of pin.features. */
export const FEATURE_KEYS = ["category", "use", "place", "looks", "does"] as const;
export type FeatureKey = (typeof FEATURE_KEYS)[number];
export const FEATURE_MAX = 200;

/** Feature answers from a form (fields feature.<key>): trimmed, capped, empty ones left out. */
export function featuresFrom(get: (name: string) => unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FEATURE_KEYS) {
    const v = get(`feature.${k}`);
    if (typeof v === "string" && v.trim()) out[k] = v.trim().slice(0, FEATURE_MAX);
  }
  return out;
}
