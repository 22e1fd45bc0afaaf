import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { constants, inflateRawSync } from "node:zlib";

/**
 * Debian's FreeDict bilingual dictionaries (dict-freedict-*), read straight from dictd's files — no
 * dict server. `<pair>.index` lines are `headword\toffset\tlength`, numbers in dictd's base64; the
 * entries live in `<pair>.dict.dz`, a dictzip file: gzip whose deflate stream is cut into chunks of a
 * fixed uncompressed size, each flushed so it can be inflated alone. So only the index is read at
 * start-up (into a map); an entry costs one or two chunk inflations when first looked up.
 */

export const DICT_DIR = process.env.TABLERO_DICT_DIR ?? "/usr/share/dictd";

/** One translation of a headword: `group` counts the entry (or numbered sense) it came from, 0 first. */
export type Sense = { text: string; group: number };

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));

/** dictd's base64 numbers: most significant digit first, no padding. */
export function decodeB64Number(s: string): number {
  let n = 0;
  for (const c of s) {
    const v = B64_VALUE.get(c);
    if (v === undefined) return NaN;
    n = n * 64 + v;
  }
  return n;
}

/**
 * The key dictd indexes a headword under (dictfmt without --allchars): lower case, only letters,
 * digits and spaces (hyphens, apostrophes and Arabic diacritics go), spaces collapsed.
 */
export function dictKey(word: string): string {
  return word
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Random access into a dictzip file: its chunk table, and the chunks inflated on demand (a few kept). */
class DictZip {
  private readonly chunkStarts: number[];
  private readonly chunkSizes: number[];
  private readonly cache = new Map<number, Buffer>();

  private constructor(
    private readonly fd: number,
    private readonly chunkLength: number,
    dataStart: number,
    sizes: number[],
  ) {
    this.chunkSizes = sizes;
    this.chunkStarts = [];
    let at = dataStart;
    for (const s of sizes) {
      this.chunkStarts.push(at);
      at += s;
    }
  }

  /** null when the file is not a dictzip file (a plain gzip has no chunk table). */
  static open(path: string): DictZip | null {
    const fd = openSync(path, "r");
    const head = Buffer.alloc(12);
    readSync(fd, head, 0, 12, 0);
    const flags = head[3]!;
    if (head[0] !== 0x1f || head[1] !== 0x8b || !(flags & 4)) return (closeSync(fd), null);
    const xlen = head.readUInt16LE(10);
    const extra = Buffer.alloc(xlen);
    readSync(fd, extra, 0, xlen, 12);
    let pos = 12 + xlen;
    let table: { chlen: number; sizes: number[] } | null = null;
    for (let i = 0; i + 4 <= xlen;) {
      const len = extra.readUInt16LE(i + 2);
      if (extra[i] === 0x52 && extra[i + 1] === 0x41) {
        const chlen = extra.readUInt16LE(i + 6);
        const count = extra.readUInt16LE(i + 8);
        table = { chlen, sizes: Array.from({ length: count }, (_, k) => extra.readUInt16LE(i + 10 + 2 * k)) };
      }
      i += 4 + len;
    }
    if (!table) return (closeSync(fd), null);
    // Skip the optional file name and comment (zero-terminated) and header CRC.
    const skipZ = () => {
      const b = Buffer.alloc(1);
      do readSync(fd, b, 0, 1, pos++);
      while (b[0] !== 0);
    };
    if (flags & 8) skipZ();
    if (flags & 16) skipZ();
    if (flags & 2) pos += 2;
    return new DictZip(fd, table.chlen, pos, table.sizes);
  }

  read(offset: number, length: number): string {
    const first = Math.floor(offset / this.chunkLength);
    const last = Math.floor((offset + Math.max(length, 1) - 1) / this.chunkLength);
    const parts: Buffer[] = [];
    for (let c = first; c <= last && c < this.chunkSizes.length; c++) parts.push(this.chunk(c));
    const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    const from = offset - first * this.chunkLength;
    return all.subarray(from, from + length).toString("utf8");
  }

  private chunk(c: number): Buffer {
    let b = this.cache.get(c);
    if (b) return b;
    const raw = Buffer.alloc(this.chunkSizes[c]!);
    readSync(this.fd, raw, 0, raw.length, this.chunkStarts[c]!);
    // Each chunk ends in a sync flush, not a final block: inflate it as far as it goes.
    b = inflateRawSync(raw, { finishFlush: constants.Z_SYNC_FLUSH });
    if (this.cache.size >= 64) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(c, b);
    return b;
  }

  close() {
    closeSync(this.fd);
  }
}

/**
 * The translations written in one entry's text, in order: the lines after the headword line that are
 * not notes, examples, synonyms or cross-references (those are indented, quoted or labelled);
 * numbered senses ("1. …", "2. …") start a new group. Grammar marks (<n, fem>), labels ([coll.]),
 * parenthesised glosses, braces and placeholder words (sb., sth., jdn., etw.) are dropped.
 */
export function parseEntry(text: string, o: { glossed?: boolean } = {}): { headword: string; senses: Sense[] } {
  const lines = text.split("\n");
  const headword = (lines[0] ?? "").replace(/\s*\/[^/]*\/.*$/, "").trim();
  const senses: Sense[] = [];
  const seen = new Set<string>();
  let group = 0;
  let started = false;
  let lineInSense = 0;
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    // Notes, examples and synonym lists are indented by two or more; cross-references say "see:".
    if (/^\s{2,}/.test(line) || /^\s*(see|Note|Synonyms?|Antonyms?):/.test(line)) continue;
    // WikDict sometimes writes the next sense's number at the end of a line ("nieve 2.").
    let body = o.glossed ? line.trim().replace(/\s+\d+\.$/u, "") : line.trim();
    const numbered = /^(\d+)\.(\s+|$)/.exec(body);
    if (numbered) {
      if (started) group++;
      body = body.slice(numbered[0].length);
      lineInSense = 0;
    }
    started = true;
    // A glossed (WikDict) entry: a sense's first line translates, the lines after it define the word in
    // its own language ("Apfel: 1. pomme / rundliche Frucht des Apfelbaums …"), which are no translations.
    if (o.glossed && lineInSense++ > 0) continue;
    for (const piece of splitTopLevel(clean(body))) {
      const t = piece.trim();
      if (!t || seen.has(t.toLowerCase())) continue;
      seen.add(t.toLowerCase());
      senses.push({ text: t, group });
    }
  }
  return { headword, senses };
}

const PLACEHOLDERS = /(^|\s)(sb|sth|so|jdn|jdm|jds|etw|qn|qc|qqn|qch)\.(?=\s|$)/giu;

function clean(s: string): string {
  let out = s;
  // Nested brackets: strip the innermost repeatedly.
  for (let i = 0; i < 3; i++) out = out.replace(/<[^<>]*>|\[[^[\]]*\]|\([^()]*\)|\{[^{}]*\}/g, " ");
  // Pronunciations (/pˌeːbˈeː/) of abbreviations written among the translations.
  out = out.replace(/\/[^/]*\//g, " ");
  return out.replace(PLACEHOLDERS, " ").replace(/\s+/g, " ").trim();
}

/** Comma- and semicolon-separated translations (brackets are gone by now). */
function splitTopLevel(s: string): string[] {
  return s
    .split(/[,;]/)
    .map((x) => x.trim().replace(/[.…]+$/, ""))
    .filter((x) => x && /\p{L}/u.test(x));
}

/**
 * Where each headword's entries are. The index is sorted, so a key's lines are consecutive: the map
 * holds, per key, its first line times 256 plus its line count, and the offsets and lengths sit in one
 * typed array — a third of the memory of an array per key (the German pairs have ~380 000 keys).
 */
type Index = { keys: Map<string, number>; spans: Uint32Array; overflow: Map<string, number[]>; info: [number, number] | null };

function readIndex(path: string): Index {
  const text = readFileSync(path, "utf8");
  const keys = new Map<string, number>();
  const overflow = new Map<string, number[]>();
  let spans = new Uint32Array(1 << 16);
  let line = 0;
  let prev = "";
  let at = 0;
  let info: [number, number] | null = null;
  while (at < text.length) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const t2 = text.lastIndexOf("\t", end - 1);
    const t1 = text.lastIndexOf("\t", t2 - 1);
    const key = t1 > at ? text.slice(at, t1) : "";
    at = end + 1;
    // dictd's own entries (00databaseinfo, …) are not words; the info says who made the dictionary.
    if (key === "00databaseinfo" || key === "00-database-info")
      info = [decodeB64Number(text.slice(t1 + 1, t2)), decodeB64Number(text.slice(t2 + 1, end))];
    if (!key || key.startsWith("00database") || key.startsWith("00-database")) continue;
    const offset = decodeB64Number(text.slice(t1 + 1, t2));
    const length = decodeB64Number(text.slice(t2 + 1, end));
    if (!Number.isFinite(offset) || !Number.isFinite(length)) continue;
    if (2 * line + 2 > spans.length) {
      const grown = new Uint32Array(spans.length * 2);
      grown.set(spans);
      spans = grown;
    }
    spans[2 * line] = offset;
    spans[2 * line + 1] = length;
    const packed = keys.get(key);
    if (packed === undefined) keys.set(key, line * 256 + 1);
    else if (key === prev && packed % 256 < 255) keys.set(key, packed + 1);
    else overflow.set(key, [...(overflow.get(key) ?? []), line]); // not consecutive (or very many): rare
    prev = key;
    line++;
  }
  return { keys, spans: spans.slice(0, 2 * line), overflow, info };
}

/**
 * One FreeDict pair ("deu-eng"): its headwords (read at construction) and each headword's senses,
 * parsed on first lookup and kept. `open` answers null when the package is not installed.
 */
export class FreeDict {
  private readonly memo = new Map<string, Sense[]>();
  /**
   * Made by WikDict from Wiktionary (the direct pairs deu-fra, fra-deu, deu-spa, fra-spa): each sense is
   * one line of translations followed by a definition in the headword's language.
   */
  readonly glossed: boolean;

  private constructor(
    readonly pair: string,
    private readonly index: Index,
    private readonly data: DictZip,
  ) {
    const info = index.info && Number.isFinite(index.info[0]) ? data.read(index.info[0], index.info[1]) : "";
    this.glossed = /WikDict/i.test(info);
  }

  static files(pair: string, dir = DICT_DIR) {
    return { index: join(dir, `freedict-${pair}.index`), dict: join(dir, `freedict-${pair}.dict.dz`) };
  }

  static installed(pair: string, dir = DICT_DIR): boolean {
    const f = FreeDict.files(pair, dir);
    return existsSync(f.index) && existsSync(f.dict);
  }

  static open(pair: string, dir = DICT_DIR): FreeDict | null {
    if (!FreeDict.installed(pair, dir)) return null;
    const f = FreeDict.files(pair, dir);
    const data = DictZip.open(f.dict);
    if (!data) return null;
    const index = readIndex(f.index);
    return new FreeDict(pair, index, data);
  }

  get size(): number {
    return this.index.keys.size;
  }

  has(word: string): boolean {
    return this.index.keys.has(dictKey(word));
  }

  headwords(): IterableIterator<string> {
    return this.index.keys.keys();
  }

  /** The headword's translations, entry by entry (each entry, and each numbered sense in it, a group). */
  lookup(word: string): Sense[] {
    const key = dictKey(word);
    const hit = this.memo.get(key);
    if (hit) return hit;
    const packed = this.index.keys.get(key);
    if (packed === undefined) return [];
    const lines = Array.from({ length: packed % 256 }, (_, k) => Math.floor(packed / 256) + k);
    lines.push(...(this.index.overflow.get(key) ?? []));
    const spans = this.index.spans;
    const out: Sense[] = [];
    const seen = new Set<string>();
    let base = 0;
    for (const l of lines) {
      const { senses } = parseEntry(this.data.read(spans[2 * l]!, spans[2 * l + 1]!), { glossed: this.glossed });
      let top = 0;
      for (const s of senses) {
        top = Math.max(top, s.group);
        const k = s.text.toLowerCase();
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({ text: s.text, group: base + s.group });
      }
      if (senses.length) base += top + 1;
    }
    if (this.memo.size > 20_000) this.memo.clear();
    this.memo.set(key, out);
    return out;
  }

  /**
   * Every headword as the entry writes it ("cerf-volant", where the index key is "cerfvolant"), with its
   * senses: for reading a pair backwards, where the headword becomes a translation to match card words.
   */
  *writtenEntries(): Generator<[string, Sense[]]> {
    for (const [key, packed] of this.index.keys) {
      const l = Math.floor(packed / 256);
      const first = this.data.read(this.index.spans[2 * l]!, this.index.spans[2 * l + 1]!);
      const written = parseEntry(first, { glossed: this.glossed })
        .headword.replace(/\s*<.*$/u, "")
        .trim();
      yield [dictKey(written) === key ? written : key, this.lookup(key)];
    }
  }

  /** Every headword with its senses (a full pass: for building a reverse lexicon of a small pair). */
  *entries(): Generator<[string, Sense[]]> {
    for (const key of this.index.keys.keys()) yield [key, this.lookup(key)];
  }

  close() {
    this.data.close();
  }
}

/** Opened pairs, one per process; `null` remembered for a pair that is not installed. */
const opened = new Map<string, FreeDict | null>();

export function freeDict(pair: string, dir = DICT_DIR): FreeDict | null {
  const k = `${dir}\u0000${pair}`;
  if (!opened.has(k)) opened.set(k, FreeDict.open(pair, dir));
  return opened.get(k)!;
}
