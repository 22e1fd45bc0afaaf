import { starterHint } from "../../models/therapy/cues";
import { drawingAlt } from "../lib/card-alt";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { eq } from "drizzle-orm";
import { LOCALES, users, type Locale, type User } from "../../db/tables";
import starter from "../../db/seed/starter-library.json";
import { createBoard } from "./boards.server";
import { createCard, saveCardToBoard } from "./cards.server";
import type { Db } from "./db.server";
import { storeTrustedSvg } from "./images.server";
import { transaction } from "./data/transaction.server";
import { signUp } from "./users.server";

/** Demo accounts; the README lists them. One password for all, so a tester can switch quickly. */
export const DEMO_PASSWORD = "tablero-demo";
export const DEMO_ACCOUNTS = [
  { email: "maria@tablero.example", displayName: "María Luisa", locale: "es", roles: ["creator", "learner"] },
  { email: "tomas@tablero.example", displayName: "Tomás (logopeda)", locale: "es", roles: ["therapist"] },
  { email: "ana@tablero.example", displayName: "Ana", locale: "en", roles: ["relative"] },
] as const;

type Topic = (typeof starter.topics)[number];

const openmojiRoot = () => dirname(createRequire(import.meta.url).resolve("openmoji/package.json"));

/** The starter cards' hint: the word's opening letters (models/therapy/cues.ts: not a meaning clue). */
export const cueFor = (word: string, lang: Locale): string => starterHint(word, lang);

const altFor = drawingAlt;

export async function isSeeded(db: Db): Promise<boolean> {
  return (await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_ACCOUNTS[0].email)).limit(1)).length > 0;
}

/**
 * First run only: the starter library (every topic as a board in each of the five content languages,
 * of OpenMoji pictures with emojibase and CLDR words, scripts/starter-words.ts) and demo accounts whose boards reuse those cards, so the pin–board
 * graph has shared cards from the start.
 */
export async function seedStarterLibrary(db: Db, log: (msg: string) => void = () => {}): Promise<{ boards: number; cards: number }> {
  if (await isSeeded(db)) return { boards: 0, cards: 0 };
  const accounts: User[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const r = await signUp(db, { ...a, roles: [...a.roles], password: DEMO_PASSWORD });
    if (!r.ok) throw new Error(`demo account ${a.email} exists already`);
    accounts.push(r.user);
  }
  const [maria, tomas, ana] = accounts as [User, User, User];
  const root = openmojiRoot();
  const cardIds = Object.fromEntries(LOCALES.map((l) => [l, new Map<string, number>()])) as Record<Locale, Map<string, number>>;
  let boards = 0;
  let cards = 0;
  // One stored picture per emoji, shared by its five cards (the same bytes would be hashed five times),
  // stored before the cards: file work stays out of the transactions below.
  const pictures = new Map<string, Awaited<ReturnType<typeof storeTrustedSvg>>>();
  for (const topic of starter.topics as Topic[])
    for (const card of topic.cards)
      if (!pictures.has(card.hexcode)) pictures.set(card.hexcode, await storeTrustedSvg(db, readFileSync(join(root, card.svg))));
  for (const topic of starter.topics as Topic[]) {
    // A topic's five boards in one transaction (each card's own becomes a savepoint): 24 commits, not 2,500.
    await transaction(db, async (tx) => {
      for (const lang of LOCALES) {
        const board = await createBoard(tx, maria.id, {
          title: topic.title[lang],
          description: topic.description[lang],
          lang,
          visibility: "public",
        });
        boards++;
        for (const card of topic.cards) {
          const word = card[lang];
          const pin = await createCard(
            tx,
            maria,
            board.id,
            { title: word, alt: altFor(word, lang), cue: cueFor(word, lang), note: "", lang },
            pictures.get(card.hexcode)!,
            `openmoji:${card.hexcode}`,
          );
          cardIds[lang].set(`${topic.slug}/${card.hexcode}`, pin.id);
          cards++;
        }
      }
    });
    log(`seeded ${topic.slug}`);
  }
  // The therapist's workshop board and the relative's private practice board reuse starter cards.
  const pick = (lang: Locale, slugs: string[], per: number) =>
    (starter.topics as Topic[])
      .filter((t) => slugs.includes(t.slug))
      .flatMap((t) => t.cards.slice(0, per).map((c) => cardIds[lang].get(`${t.slug}/${c.hexcode}`)!))
      .filter(Boolean);
  const workshop = await createBoard(db, tomas.id, {
    title: "Taller semanal: la comida y la casa",
    description: "Palabras de cada día para el taller de afasia de los martes.",
    lang: "es",
    visibility: "public",
  });
  for (const id of pick("es", ["food", "drinks", "daily-routine"], 6)) await saveCardToBoard(db, id, workshop.id, tomas);
  const feelings = await createBoard(db, tomas.id, {
    title: "Feelings and needs",
    description: "Cards to say how you feel and what you need, for the first sessions after a stroke.",
    lang: "en",
    visibility: "public",
  });
  for (const id of pick("en", ["feelings", "health", "drinks"], 5)) await saveCardToBoard(db, id, feelings.id, tomas);
  // Naming practice, the core exercise of aphasia therapy: what a searcher typing "aphasia" hopes to find.
  const naming = await createBoard(db, tomas.id, {
    title: "Aphasia naming practice: everyday things",
    description: "Naming exercises for aphasia therapy: look at the picture, say the word, use the first-sound hint if it does not come.",
    lang: "en",
    visibility: "public",
  });
  for (const id of pick("en", ["daily-routine", "kitchen", "home", "clothes"], 4)) await saveCardToBoard(db, id, naming.id, tomas);
  const nombrar = await createBoard(db, tomas.id, {
    title: "Ejercicios de afasia: nombrar objetos",
    description:
      "Ejercicios de denominación para la terapia de la afasia: mira la imagen, di la palabra y usa la pista del primer sonido si no sale.",
    lang: "es",
    visibility: "public",
  });
  for (const id of pick("es", ["daily-routine", "kitchen", "home", "clothes"], 4)) await saveCardToBoard(db, id, nombrar.id, tomas);
  const home = await createBoard(db, ana.id, {
    title: "Practice with Dad",
    description: "Words we practise after dinner.",
    lang: "en",
    visibility: "private",
  });
  for (const id of pick("en", ["food", "family-people", "feelings"], 4)) await saveCardToBoard(db, id, home.id, ana);
  return { boards: boards + 5, cards };
}
