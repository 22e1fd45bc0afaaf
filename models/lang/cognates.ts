/**
 * English spellings of a German word borrowed from Latin or Greek, by regular sound and suffix changes:
 * aeroelastisch → aeroelastic, magnetohydrodynamisch → magnetohydrodynamic, kompressibl(er) →
 * compressible, Temperatur → temperature, Stabilität → stability, Kinetik → kinetics. Technical and
 * learned German is full of them and the dictionaries lack most (deu-eng has no "aeroelastisch").
 *
 * Every spelling is only a guess (most are not English words at all): callers keep one only where
 * the searched cards hold it, as with Arabic loanwords (transliterate.ts).
 */

// German ending → English endings, longest German ending first. The word as written is always tried too.
const SUFFIXES: [string, string[]][] = [
  ["ismus", ["ism"]],
  ["ieren", ["ate", "e", "ize"]],
  ["iert", ["ated", "ed", "ized"]],
  ["iker", ["icist", "ician"]],
  ["ität", ["ity"]],
  ["isch", ["ic", "ical"]],
  ["sch", ["ian"]], // a name's adjective: newtonsch → newtonian
  ["enz", ["ence", "ency"]],
  ["anz", ["ance", "ancy"]],
  ["tät", ["ty"]],
  ["bel", ["ble"]],
  ["ell", ["al"]],
  ["eur", ["eur", "er"]],
  ["ik", ["ics", "ic"]],
  ["ie", ["y"]],
  ["iv", ["ive"]],
  ["ös", ["ous"]],
  ["ur", ["ure"]],
  ["är", ["ary", "ar"]],
  ["bl", ["ble"]], // kompressibler reduced by its ending: kompressibl
  ["e", ["", "e"]],
];

// Letters whose English spelling may differ, the likeliest first; every option is tried at the first
// MAX_CHOICES such places, the likeliest alone after them.
const LETTERS: Record<string, string[]> = {
  k: ["c", "k"],
  z: ["c", "t", "z"],
  ä: ["a", "e"],
  ö: ["o", "e"],
  ü: ["u"],
  ß: ["ss"],
};
const MAX_CHOICES = 4;
const MIN_LENGTH = 5;

/** The English spellings of one German form (lower case), the form itself first; none for a short word. */
export function germanCognates(form: string): string[] {
  const w = form.toLowerCase();
  if (w.length < MIN_LENGTH || !/^[a-zäöüß]+$/u.test(w)) return [];
  const stems: [string, string[]][] = [[w, [""]]];
  for (const [de, en] of SUFFIXES)
    if (w.endsWith(de) && w.length - de.length >= 3) {
      stems.push([w.slice(0, -de.length), en]);
      break;
    }
  const out = new Set<string>();
  for (const [stem, endings] of stems) for (const s of spellings(stem)) for (const e of endings) out.add(s + e);
  return [...out].filter((x) => x.length >= MIN_LENGTH && /^[a-z]+$/.test(x));
}

/** Every spelling of a stem under LETTERS ("ck" stays: it is English too). */
function spellings(stem: string): string[] {
  let out = [""];
  let choices = 0;
  for (let i = 0; i < stem.length; i++) {
    const ch = stem[i]!;
    const options = ch === "k" && stem[i - 1] === "c" ? ["k"] : LETTERS[ch];
    if (!options) {
      out = out.map((s) => s + ch);
      continue;
    }
    const used = options.length > 1 && choices++ < MAX_CHOICES ? options : [options[0]!];
    out = out.flatMap((s) => used.map((o) => s + o));
  }
  return out;
}
