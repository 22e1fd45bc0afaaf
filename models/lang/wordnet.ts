import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * English synonyms from Princeton WordNet as Debian ships it (`wordnet-base`: /usr/share/wordnet), read
 * straight from its files: index.<pos> (a lemma's synsets, most common sense first) and data.<pos> (a
 * synset's words, at the byte offset the index gives). A dictionary's sense is often a synonym of the
 * word a card uses — ara-eng translates نظارة as "specs", يبكي as "weeps"; the cards say glasses,
 * crying — and WordNet knows specs/glasses and weep/cry are one meaning. Optional: without the package
 * there are no synonyms.
 */
export const WORDNET_DIR = process.env.TABLERO_WORDNET_DIR ?? "/usr/share/wordnet";
const POS = ["noun", "verb", "adj"] as const;
/** A lemma's first synsets only: later ones are rare senses (cry as "a slogan"). */
const SENSES_PER_POS = 2;

type Pos = (typeof POS)[number];

// Irregular forms WordNet lists (verb.exc: "wept weep") and the regular endings it undoes (morphy).
const ENDINGS: Record<Pos, [string, string][]> = {
  noun: [
    ["ses", "s"],
    ["xes", "x"],
    ["zes", "z"],
    ["ches", "ch"],
    ["shes", "sh"],
    ["ies", "y"],
    ["s", ""],
  ],
  verb: [
    ["ies", "y"],
    ["es", "e"],
    ["es", ""],
    ["ed", "e"],
    ["ed", ""],
    ["ing", "e"],
    ["ing", ""],
    ["s", ""],
  ],
  adj: [
    ["er", ""],
    ["est", ""],
    ["er", "e"],
    ["est", "e"],
  ],
};

export class WordNet {
  private readonly index = new Map<Pos, Map<string, number[]>>();
  private readonly data = new Map<Pos, Buffer>();
  private readonly exceptions = new Map<Pos, Map<string, string>>();
  private readonly memo = new Map<string, string[]>();

  private constructor(private readonly dir: string) {}

  /** null when WordNet is not installed. */
  static open(dir = WORDNET_DIR): WordNet | null {
    return POS.every((p) => existsSync(join(dir, `index.${p}`)) && existsSync(join(dir, `data.${p}`))) ? new WordNet(dir) : null;
  }

  private indexOf(pos: Pos): Map<string, number[]> {
    let m = this.index.get(pos);
    if (m) return m;
    m = new Map();
    for (const line of readFileSync(join(this.dir, `index.${pos}`), "latin1").split("\n")) {
      if (!line || line.startsWith(" ")) continue; // the licence header is indented
      const f = line.trim().split(" ");
      const synsets = Number(f[2]);
      const pointers = Number(f[3]);
      // lemma pos synset_cnt p_cnt [ptr…] sense_cnt tagsense_cnt offset…
      const offsets = f.slice(4 + pointers + 2, 4 + pointers + 2 + synsets).map(Number);
      m.set(f[0]!, offsets);
    }
    this.index.set(pos, m);
    return m;
  }

  private exceptionsOf(pos: Pos): Map<string, string> {
    let m = this.exceptions.get(pos);
    if (m) return m;
    m = new Map();
    const path = join(this.dir, `${pos}.exc`);
    if (existsSync(path))
      for (const line of readFileSync(path, "latin1").split("\n")) {
        const [form, base] = line.split(" ");
        if (form && base) m.set(form, base);
      }
    this.exceptions.set(pos, m);
    return m;
  }

  /** The lemma WordNet lists for a word in one part of speech ("weeps" → weep, "wept" → weep), or null. */
  lemma(word: string, pos: Pos): string | null {
    const w = word.toLowerCase().replace(/ /g, "_");
    const idx = this.indexOf(pos);
    if (idx.has(w)) return w;
    const irregular = this.exceptionsOf(pos).get(w);
    if (irregular && idx.has(irregular)) return irregular;
    for (const [end, base] of ENDINGS[pos])
      if (w.endsWith(end) && w.length > end.length + 1) {
        const b = w.slice(0, -end.length) + base;
        if (idx.has(b)) return b;
      }
    return null;
  }

  /** A synset's words (spaces for WordNet's underscores), from its line in data.<pos>. */
  private synsetWords(pos: Pos, offset: number): string[] {
    let buf = this.data.get(pos);
    if (!buf) this.data.set(pos, (buf = readFileSync(join(this.dir, `data.${pos}`))));
    const end = buf.indexOf(10, offset);
    const f = buf.toString("latin1", offset, end < 0 ? buf.length : end).split(" ");
    const count = parseInt(f[3]!, 16);
    const out: string[] = [];
    for (let i = 0; i < count; i++)
      out.push(
        f[4 + 2 * i]!.replace(/\(.*\)$/, "")
          .replace(/_/g, " ")
          .toLowerCase(),
      );
    return out;
  }

  /** Words sharing one of the word's first meanings, in any part of speech; the word itself left out. */
  synonyms(word: string): string[] {
    const key = word.toLowerCase();
    const hit = this.memo.get(key);
    if (hit) return hit;
    const out = new Set<string>();
    for (const pos of POS) {
      const l = this.lemma(key, pos);
      if (!l) continue;
      for (const offset of this.indexOf(pos).get(l)!.slice(0, SENSES_PER_POS))
        for (const w of this.synsetWords(pos, offset)) if (w !== key && w !== l.replace(/_/g, " ")) out.add(w);
    }
    const list = [...out];
    if (this.memo.size > 20_000) this.memo.clear();
    this.memo.set(key, list);
    return list;
  }
}
