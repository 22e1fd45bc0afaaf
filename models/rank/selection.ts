// What `train:ranker --simulate` may be trained with, and the configurations `select:ranker` compares
// by cross-validation on the training collection (docs/decisions/0013). Pure.
import { allBut, LOG_SPECIFIC_FEATURES, PER_LIST_FEATURES, TEXT_LIST_FEATURES, type TrainOptions } from "./ranker";

/**
 * Feature sets, as `--features`: "text" (the text source's and fusion's per-list forms: what carries
 * from one collection to another by the account), "per-list" (every source's per-list forms),
 * "no-log" (all but the log's own rates and ages), "all".
 */
export const FEATURE_CHOICES = ["text", "per-list", "no-log", "all"] as const;
export type FeatureChoice = (typeof FEATURE_CHOICES)[number];

/** The features a choice leaves out (the position always: it is not a serving-time signal). */
export function ignoreFor(f: FeatureChoice): string[] {
  if (f === "text") return allBut(TEXT_LIST_FEATURES);
  if (f === "per-list") return allBut(PER_LIST_FEATURES);
  if (f === "no-log") return [...LOG_SPECIFIC_FEATURES, "position"];
  return ["position"];
}

export type SelectionConfig = { name: string; features: FeatureChoice; options: TrainOptions };

/**
 * The candidates, simplest first (the one-standard-error rule takes the first within one standard error
 * of the best). Only per-query-normalised feature sets are candidates: a search ranker trained on one
 * collection meets another whose raw scores, lengths and vocabulary differ (fixed before any test run).
 * Bags average 5 seeds; "d2" is trees of depth 2.
 */
export const SELECTION_CONFIGS: readonly SelectionConfig[] = [
  { name: "linear · text", features: "text", options: { family: "linear" } },
  { name: "linear · per-list", features: "per-list", options: { family: "linear" } },
  { name: "gbdt d2 bag5 · text", features: "text", options: { family: "gbdt", depth: 2, bag: 5 } },
  { name: "gbdt d2 bag5 · per-list", features: "per-list", options: { family: "gbdt", depth: 2, bag: 5 } },
  { name: "gbdt bag5 · per-list", features: "per-list", options: { family: "gbdt", bag: 5 } },
  { name: "gbdt · per-list", features: "per-list", options: { family: "gbdt" } },
];
