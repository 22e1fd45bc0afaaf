import {
  splitByQuery,
  shouldReplace,
  trainRanker,
  validate,
  type Family,
  type LoggedList,
  type RankerBundle,
  type TrainOptions,
} from "../../../models/rank/ranker";
import type { RankSurface } from "../../../models/rank/features";
import type { Db } from "../db.server";
import { currentRanker, modelsDir, saveBundle } from "./ranker-store.server";
import { loggedLists, writeServed } from "./served-log.server";

export type TrainReport = {
  bundle: RankerBundle | null;
  installed: boolean;
  reason: string;
  lists: { train: number; valid: number };
  /** The model in service, scored on the new validation lists (null when none). */
  currentOnValid: number | null;
  file: string | null;
};

/** Fewest logged lists with a seen card before a model is worth training. */
export const MIN_LISTS = 50;

/**
 * Trains the ranker from the app's log with the production code: served lists and what followed,
 * split for validation by time (the newest 20 % of lists; `split: "query"` keeps each query on one
 * side, for simulated logs where the same queries repeat), heads trained and calibrated, and the
 * new model installed only when it beats both today's fusion and the model in service on the same
 * validation lists.
 */
export async function trainFromLog(
  db: Db,
  o: {
    dir?: string;
    split?: "time" | "query";
    family?: Family | "auto";
    surfaces?: RankSurface[];
    source?: string;
    install?: boolean;
    seed?: number;
    ignore?: readonly string[];
    model?: Pick<TrainOptions, "trees" | "depth" | "minLeaf" | "earlyStopping" | "learningRate">;
  } = {},
): Promise<TrainReport> {
  await writeServed(db);
  const lists = await loggedLists(db, { surfaces: o.surfaces });
  const { train, valid } = o.split === "query" ? splitByQuery(lists) : splitByTime(lists);
  const empty = { bundle: null, installed: false, currentOnValid: null, file: null, lists: { train: train.length, valid: valid.length } };
  if (lists.length < MIN_LISTS) return { ...empty, reason: `only ${lists.length} logged lists with a seen card (need ${MIN_LISTS})` };
  const bundle = trainRanker(train, valid, { ...o.model, family: o.family ?? "auto", source: o.source, seed: o.seed, ignore: o.ignore });
  const dir = o.dir ?? modelsDir();
  const current = currentRanker(dir);
  const currentOnValid = current ? validate(current.bundle, valid).ndcg10 : null;
  const better = shouldReplace(bundle, current?.bundle ?? null, { current: currentOnValid });
  const install = (o.install ?? true) && better;
  const file = install ? saveBundle(bundle, { makeCurrent: true, dir }) : null;
  const v = bundle.validation;
  const reason = better
    ? `validation NDCG@10 ${v.ndcg10} beats fusion ${v.fusionNdcg10}${currentOnValid !== null ? ` and the current model ${currentOnValid}` : ""}`
    : `validation NDCG@10 ${v.ndcg10} does not beat fusion ${v.fusionNdcg10}${currentOnValid !== null ? ` or the current model ${currentOnValid}` : ""}`;
  return { bundle, installed: install, reason, currentOnValid, file, lists: { train: train.length, valid: valid.length } };
}

/** The newest share of lists (by serving time) for validation. */
export function splitByTime(lists: readonly LoggedList[], validShare = 0.2): { train: LoggedList[]; valid: LoggedList[] } {
  const sorted = [...lists].sort((a, b) => a.at - b.at);
  const cut = Math.floor(sorted.length * (1 - validShare));
  return { train: sorted.slice(0, cut), valid: sorted.slice(cut) };
}
