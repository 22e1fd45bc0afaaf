/**
 * Query-side reduction of inflected words to forms a dictionary lists (lemmas): no stemmer, a short
 * list of common endings per language. A lookup tries the word as typed first, then these forms in
 * order, and stops at the first the dictionary knows — so an over-eager reduction ("Kinder" → "Kind"
 * is right, "Butter" → "Butt" would be wrong) only happens when the typed word itself is unknown.
 */

export type InflectLang = "en" | "es" | "fr" | "de";

/** Endings replaced, most likely first: [ending, replacement]. A form must keep at least 3 letters. */
const RULES: Record<InflectLang, [string, string][]> = {
  en: [
    ["ies", "y"],
    ["ves", "f"],
    ["sses", "ss"],
    ["ches", "ch"],
    ["shes", "sh"],
    ["xes", "x"],
    ["s", ""],
    ["ing", ""],
    ["ing", "e"],
    ["ied", "y"],
    ["ed", ""],
    ["ed", "e"],
  ],
  es: [
    ["ces", "z"], // luces → luz
    ["iones", "ión"], // canciones → canción
    ["es", ""],
    ["s", ""],
    ["as", "o"], // rojas → rojo
    ["a", "o"], // roja → rojo
    ["ando", "ar"],
    ["iendo", "er"],
    ["iendo", "ir"],
    ["ado", "ar"],
    ["ido", "er"],
    ["ido", "ir"],
  ],
  fr: [
    ["aux", "al"], // chevaux → cheval
    ["eaux", "eau"],
    ["eux", "eu"],
    ["x", ""],
    ["s", ""],
    ["es", ""],
    ["es", "e"],
    ["e", ""], // petite → petit
    ["ées", "er"],
    ["ée", "er"],
    ["és", "er"],
    ["é", "er"], // mangé → manger
    ["euse", "eur"],
    ["euses", "eur"],
    ["ive", "if"],
    ["ives", "if"],
    ["elle", "el"],
    ["elles", "el"],
    ["ons", "er"],
    ["ez", "er"],
    ["ent", "er"],
    ["ant", "er"],
  ],
  de: [
    ["innen", "in"], // Lehrerinnen → Lehrerin
    ["ern", ""], // Kindern → Kind
    ["er", ""], // Kinder → Kind
    ["en", ""], // Frauen → Frau
    ["en", "e"], // großen → große
    ["n", ""], // Blumen → Blume
    ["es", ""], // Hauses → Haus
    ["s", ""], // Autos → Auto
    ["e", ""], // Tage → Tag
    ["em", ""], // kleinem → klein
    ["st", "en"], // läufst → laufen (with the umlaut undone below)
    ["t", "en"], // kocht → kochen
    ["te", "en"], // kochte → kochen
    ["ten", "en"],
    ["end", "en"], // laufend → laufen
    ["ung", "en"], // Strömung → strömen (a related verb when the noun itself is unknown)
  ],
};

const UMLAUT: Record<string, string> = { ä: "a", ö: "o", ü: "u", äu: "au" };

/** German plurals and verb forms often add an umlaut (Äpfel, Mütter, läuft): the forms without it. */
export function withoutUmlaut(word: string): string[] {
  const out: string[] = [];
  // Only the last umlaut is the inflected one ("Bärenfänger" keeps its first).
  const m = /(äu|ä|ö|ü)(?!.*[äöü])/u.exec(word);
  if (m) out.push(word.slice(0, m.index) + UMLAUT[m[1]!] + word.slice(m.index + m[1]!.length));
  return out;
}

/** French and other elided articles and pronouns: l'avion → avion, d'eau → eau, qu'il → il. */
export function withoutElision(word: string): string {
  return word.replace(/^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]/iu, "");
}

/**
 * The word (lower case) followed by its reduced forms, most likely first, without repeats. Forms are
 * only produced for stems of 3 letters or more.
 */
export function reducedForms(lang: InflectLang, word: string): string[] {
  let w = word.normalize("NFC").toLowerCase().trim();
  const out = [w];
  if (lang === "fr") {
    const bare = withoutElision(w);
    if (bare !== w) out.push((w = bare));
  }
  const add = (f: string) => {
    if (f.length >= 3 && !out.includes(f)) out.push(f);
  };
  const bases = lang === "de" ? [w, ...withoutUmlaut(w)] : [w];
  for (const base of bases) {
    add(base);
    for (const [end, rep] of RULES[lang]) {
      if (base.length - end.length < 2 || !base.endsWith(end)) continue;
      add(base.slice(0, base.length - end.length) + rep);
    }
  }
  return out;
}
