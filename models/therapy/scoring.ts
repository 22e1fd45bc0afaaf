// Clinical scoring of one answer (issue 14) and its FSRS rating: one pure function, so the mapping is
// stated once and tested.
import { OUTCOMES, type Outcome } from "../../db/enums";
import { CUE_LEVEL, isCueLevel } from "./cues";
import type { Rating } from "../practice/schedule";

export { OUTCOMES, type Outcome };

export function isOutcome(v: unknown): v is Outcome {
  return typeof v === "string" && (OUTCOMES as readonly string[]).includes(v);
}

/**
 * Named without help → Good (Easy when the card was already well known: FSRS state Review);
 * named with help → Good after only the semantic cue (the person found the word themselves from its
 * meaning), Hard after any later cue (sentence, first sound, letters, the whole word);
 * not yet → Again. A "cued" answer without a cue level is a caller's mistake.
 */
export function ratingFor(outcome: Outcome, cueLevel: number, stateBefore: number | null = null): Rating {
  if (outcome === "not_yet") return 1;
  if (outcome === "correct") return stateBefore === 2 ? 4 : 3;
  if (!isCueLevel(cueLevel) || cueLevel === 0) throw new RangeError("a cued answer needs the cue level reached (1–5)");
  return cueLevel === CUE_LEVEL.semantic ? 3 : 2;
}

/** The stored cue level of an answer: none for "correct", the level reached otherwise (0 if none shown). */
export function storedCueLevel(outcome: Outcome, cueLevel: number): number {
  return outcome === "correct" ? 0 : cueLevel;
}
