// Item side information for the recommendation evaluation: text for content embeddings and
// interests (tags) per item, from MovieLens' movies.csv / tags.csv or from the design's items JSONL
// (`{"id","title","text","tags"}`). Pure: text in, arrays out.

/** Splits one CSV line, honouring double-quoted fields ("a, b" and "" escapes). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export interface ItemInfo {
  /** Per dense item: text for the sentence encoder. */
  itemText: string[];
  /** Per dense item: indices into tagNames (genres first, then user tags). */
  itemTags: number[][];
  tagNames: string[];
  /** How many of the items had a row in the side file. */
  matched: number;
}

export interface MovieLensOptions {
  /** Most frequent user tags kept per movie. Default 5. */
  tagsPerItem?: number;
  /**
   * (userId, movieId) pairs whose tags are left out — the evaluated users' held-out (and validation)
   * movies, so a tag written after watching the held-out movie never describes it.
   */
  excludePairs?: Set<string>;
}

/**
 * MovieLens: "title. Genre, Genre. tag, tag" per movie (genres from movies.csv, the movie's most
 * frequent user tags from tags.csv); genres and tags are the movie's interests. `itemIds` are the
 * dense item ids of the ratings file (movieId strings).
 */
export function movieLensItems(itemIds: string[], moviesCsv: string, tagsCsv?: string, opts: MovieLensOptions = {}): ItemInfo {
  const index = new Map(itemIds.map((id, i) => [id, i]));
  const tagIndex = new Map<string, number>();
  const tagNames: string[] = [];
  const tagId = (name: string) => {
    let k = tagIndex.get(name);
    if (k === undefined) {
      k = tagNames.length;
      tagIndex.set(name, k);
      tagNames.push(name);
    }
    return k;
  };
  const title = new Array<string>(itemIds.length).fill("");
  const genres: string[][] = Array.from({ length: itemIds.length }, () => []);
  let matched = 0;
  const lines = moviesCsv.split(/\r?\n/);
  for (let n = 1; n < lines.length; n++) {
    if (!lines[n]!.trim()) continue;
    const [id, t, g] = splitCsvLine(lines[n]!);
    const i = index.get((id ?? "").trim());
    if (i === undefined) continue;
    matched++;
    title[i] = (t ?? "").trim();
    genres[i] = (g ?? "")
      .split("|")
      .map((x) => x.trim())
      .filter((x) => x && x !== "(no genres listed)");
  }
  const counts: Map<string, number>[] = Array.from({ length: itemIds.length }, () => new Map());
  if (tagsCsv) {
    const tl = tagsCsv.split(/\r?\n/);
    for (let n = 1; n < tl.length; n++) {
      if (!tl[n]!.trim()) continue;
      const [user, id, tag] = splitCsvLine(tl[n]!);
      const i = index.get((id ?? "").trim());
      const name = (tag ?? "").trim().toLowerCase();
      if (i === undefined || !name) continue;
      if (opts.excludePairs?.has(`${(user ?? "").trim()}\u0000${(id ?? "").trim()}`)) continue;
      counts[i]!.set(name, (counts[i]!.get(name) ?? 0) + 1);
    }
  }
  const per = opts.tagsPerItem ?? 5;
  const itemText: string[] = [];
  const itemTags: number[][] = [];
  for (let i = 0; i < itemIds.length; i++) {
    const tags = [...counts[i]!]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, per)
      .map(([t]) => t);
    const parts = [title[i] || `Item ${itemIds[i]}`, genres[i]!.join(", "), tags.join(", ")].filter(Boolean);
    itemText.push(parts.join(". "));
    itemTags.push([...genres[i]!.map((g) => tagId(g)), ...tags.map((t) => tagId(t))]);
  }
  return { itemText, itemTags, tagNames, matched };
}

/** The design's items JSONL: one `{"id","title","text","tags"}` per line; text = title. text. tags. */
export function jsonlItems(itemIds: string[], jsonl: string): ItemInfo & { errors: string[] } {
  const index = new Map(itemIds.map((id, i) => [id, i]));
  const tagIndex = new Map<string, number>();
  const tagNames: string[] = [];
  const itemText = itemIds.map((id) => `Item ${id}`);
  const itemTags: number[][] = itemIds.map(() => []);
  const errors: string[] = [];
  let matched = 0;
  jsonl.split(/\r?\n/).forEach((line, n) => {
    if (!line.trim()) return;
    let row: { id?: unknown; title?: unknown; text?: unknown; tags?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      errors.push(`line ${n + 1}: not JSON`);
      return;
    }
    const i = index.get(String(row.id ?? ""));
    if (i === undefined) return;
    matched++;
    const tags = Array.isArray(row.tags) ? row.tags.map((t) => String(t).trim().toLowerCase()).filter(Boolean) : [];
    itemText[i] = [row.title, row.text, tags.join(", ")].filter((x) => typeof x === "string" && x.trim()).join(". ") || itemText[i]!;
    itemTags[i] = tags.map((t) => {
      let k = tagIndex.get(t);
      if (k === undefined) {
        k = tagNames.length;
        tagIndex.set(t, k);
        tagNames.push(t);
      }
      return k;
    });
  });
  return { itemText, itemTags, tagNames, matched, errors };
}
