import { isPracticeMode } from "../../../models/therapy/modes";
import { cuesFor, meaningCue, type Cue } from "../../../models/therapy/cues";
import { seedOf } from "../../../models/therapy/distractors";
import type { Locale, PracticeMode } from "../../../db/tables";
import type { Db } from "../db.server";
import type { PracticeView } from "../practice.server";
import { categoriesOf } from "./cues.server";
import { comprehensionChoices, type Choice } from "./comprehension.server";

export { isPracticeMode };

/** What one mode needs besides the card: its cues (naming), its pictures (comprehension), whether feature answers are kept. */
export type TherapyItem = {
  cues: Cue[];
  /** The card's category in both languages, for the default semantic cue (translated in the page). */
  category: Record<Locale, string> | null;
  choices: Choice[];
  /** Features mode: answers are saved on the card when the learner made it. */
  featuresSaved: boolean;
  seed: number;
};

export async function therapyItem(db: Db, view: PracticeView, learnerId: number, mode: PracticeMode): Promise<TherapyItem | null> {
  const card = view.card;
  if (!card) return null;
  const seed = seedOf(learnerId, card.id, view.sitting.id ?? 0, view.sitting.rated);
  const cat = (await categoriesOf(db, [card.id])).get(card.id) ?? null;
  const cues = cuesFor({ ...card, cue: meaningCue(card), category: cat ? cat[card.lang] : null });
  const choices = mode === "comprehension" ? await comprehensionChoices(db, card, view.cards, seed) : [];
  return {
    cues,
    category: cat ? { en: cat.en, es: cat.es, fr: cat.fr, de: cat.de, ar: cat.ar } : null,
    choices,
    featuresSaved: card.creatorId === learnerId,
    seed,
  };
}
