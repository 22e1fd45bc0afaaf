// Curated interest taxonomy (Pinterest-style interest tree) for boards, in the five content languages.
// Pure module: only node:fs (and the shared value sets), so it runs the same under vitest, tsx and the app server.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { LOCALES, type Locale } from "../../db/enums";

export { LOCALES, type Locale };
/**
 * Languages whose synonym lists must be non-empty: English and Spanish were curated with the search
 * logs' wording; French, German and Arabic have their labels (what the reader sees) and may add synonyms.
 */
const SYNONYMS_REQUIRED: readonly Locale[] = ["en", "es"];
export const MAX_DEPTH = 6;

export interface InterestNode {
  slug: string;
  parent: string | null;
  labels: Record<Locale, string>;
  synonyms: Record<Locale, string[]>;
}

export interface InterestMatch {
  slug: string;
  score: number;
}

const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Read-only tree over a validated list of interests. Unknown slugs give empty answers, never throw. */
export class Taxonomy {
  readonly version: number;
  private readonly nodes: readonly InterestNode[];
  private readonly index = new Map<string, InterestNode>();
  private readonly childIndex = new Map<string | null, InterestNode[]>();

  constructor(nodes: readonly InterestNode[], version = 1) {
    // Refuse to build a broken tree: ancestors()/depth() would loop forever on a cycle.
    const problems = validateTaxonomy(nodes);
    if (problems.length > 0) throw new Error(`Invalid interest taxonomy:\n- ${problems.join("\n- ")}`);
    this.version = version;
    this.nodes = nodes;
    for (const node of nodes) {
      this.index.set(node.slug, node);
      const list = this.childIndex.get(node.parent) ?? [];
      list.push(node);
      this.childIndex.set(node.parent, list);
    }
  }

  all(): InterestNode[] {
    return [...this.nodes];
  }

  roots(): InterestNode[] {
    return [...(this.childIndex.get(null) ?? [])];
  }

  bySlug(slug: string): InterestNode | undefined {
    return this.index.get(slug);
  }

  children(slug: string): InterestNode[] {
    return this.index.has(slug) ? [...(this.childIndex.get(slug) ?? [])] : [];
  }

  parent(slug: string): InterestNode | undefined {
    const parentSlug = this.index.get(slug)?.parent;
    return parentSlug == null ? undefined : this.index.get(parentSlug);
  }

  /** Root first, nearest parent last (breadcrumb order); excludes the node itself. */
  ancestors(slug: string): InterestNode[] {
    const chain: InterestNode[] = [];
    for (let node = this.parent(slug); node; node = this.parent(node.slug)) chain.unshift(node);
    return chain;
  }

  /** Other nodes with the same parent; for a root, the other roots. */
  siblings(slug: string): InterestNode[] {
    const node = this.index.get(slug);
    if (!node) return [];
    return (this.childIndex.get(node.parent) ?? []).filter((n) => n.slug !== slug);
  }

  /** Roots are depth 1; 0 means the slug is unknown. */
  depth(slug: string): number {
    return this.index.has(slug) ? this.ancestors(slug).length + 1 : 0;
  }
}

let shipped: Taxonomy | undefined;

/** The shipped taxonomy, read once and cached. Throws if the data file is malformed or invalid. */
export function loadTaxonomy(): Taxonomy {
  if (!shipped) {
    // Next to this file under vitest and tsx; from the project root when bundled into build/server.
    const beside = new URL("./interests.json", import.meta.url);
    const path = existsSync(beside) ? beside : resolve(process.cwd(), "models/taxonomy/interests.json");
    const raw: unknown = JSON.parse(readFileSync(path, "utf8"));
    const file = raw as { version?: unknown; interests?: unknown } | null;
    if (!file || !Number.isInteger(file.version) || !Array.isArray(file.interests)) {
      throw new Error('interests.json must look like {"version": <integer>, "interests": [...]}');
    }
    shipped = new Taxonomy(file.interests as InterestNode[], file.version as number);
  }
  return shipped;
}

/**
 * Lists everything wrong with a set of nodes; an empty array means valid.
 * Defensive about shape because it is the gate for hand-edited JSON.
 */
export function validateTaxonomy(nodes: readonly InterestNode[]): string[] {
  const problems: string[] = [];
  const bySlug = new Map<string, InterestNode>();

  for (const node of nodes) {
    const slug = node?.slug;
    if (typeof slug !== "string" || !SLUG_RE.test(slug)) {
      problems.push(`invalid slug ${JSON.stringify(slug)} (expected kebab-case ASCII)`);
      continue;
    }
    if (bySlug.has(slug)) problems.push(`duplicate slug "${slug}"`);
    else bySlug.set(slug, node);

    for (const locale of LOCALES) {
      const label = node.labels?.[locale];
      if (typeof label !== "string" || label.trim() === "") problems.push(`"${slug}" has an empty ${locale} label`);
      const synonyms = node.synonyms?.[locale];
      if (!Array.isArray(synonyms) || (synonyms.length === 0 && SYNONYMS_REQUIRED.includes(locale))) {
        problems.push(`"${slug}" has no ${locale} synonyms`);
      } else if (synonyms.some((s) => typeof s !== "string" || s.trim() === "")) {
        problems.push(`"${slug}" has an empty ${locale} synonym`);
      }
    }
  }

  const reportedCycles = new Set<string>();
  for (const node of bySlug.values()) {
    if (node.parent !== null && !bySlug.has(node.parent)) {
      problems.push(`"${node.slug}" has missing parent "${node.parent}"`);
      continue;
    }
    // Walk up to the root; a repeat means a cycle, and a broken link was reported above.
    const path: string[] = [node.slug];
    let current = node;
    let broken = false;
    while (current.parent !== null) {
      const up = bySlug.get(current.parent);
      if (!up) {
        broken = true;
        break;
      }
      const seenAt = path.indexOf(up.slug);
      if (seenAt !== -1) {
        const cycle = path.slice(seenAt);
        const key = [...cycle].sort().join(",");
        if (!reportedCycles.has(key)) {
          reportedCycles.add(key);
          problems.push(`cycle: ${[...cycle, up.slug].join(" -> ")}`);
        }
        broken = true;
        break;
      }
      path.push(up.slug);
      current = up;
    }
    if (!broken && path.length > MAX_DEPTH) {
      problems.push(`"${node.slug}" is at depth ${path.length} (max ${MAX_DEPTH})`);
    }
  }
  return problems;
}

/** Lower-case, strip diacritics (so "anómica" matches "anomica"), collapse whitespace, trim. */
export function normalizeText(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

// Punctuation is a word boundary on both sides, so "Broca's" and "broca s" tokenise alike.
function words(s: string): string[] {
  return normalizeText(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

interface PhraseIndex {
  phrases: Map<string, string[]>;
  longest: number;
  order: Map<string, number>;
}

// Built lazily per taxonomy: matching runs per request, the taxonomy never changes.
const phraseIndexes = new WeakMap<Taxonomy, PhraseIndex>();

function phraseIndex(taxonomy: Taxonomy): PhraseIndex {
  let index = phraseIndexes.get(taxonomy);
  if (!index) {
    index = { phrases: new Map(), longest: 0, order: new Map() };
    for (const [i, node] of taxonomy.all().entries()) {
      index.order.set(node.slug, i);
      for (const locale of LOCALES) {
        for (const phrase of [node.labels[locale], ...node.synonyms[locale]]) {
          const tokens = words(phrase);
          if (tokens.length === 0) continue;
          const key = tokens.join(" ");
          const slugs = index.phrases.get(key) ?? [];
          if (!slugs.includes(node.slug)) slugs.push(node.slug);
          index.phrases.set(key, slugs);
          index.longest = Math.max(index.longest, tokens.length);
        }
      }
    }
    phraseIndexes.set(taxonomy, index);
  }
  return index;
}

/**
 * Interests whose label or synonym (any language) appears in `text` as whole words.
 * Score = matched words / words in text, so an exact full-text match scores 1.
 * Longer phrases claim their words first: "aphasia exercises" yields the exercises
 * interest, not also plain "aphasia" (callers can walk ancestors() for the broader one).
 */
export function matchSynonyms(taxonomy: Taxonomy, text: string): InterestMatch[] {
  const tokens = words(text);
  if (tokens.length === 0) return [];
  const { phrases, longest, order } = phraseIndex(taxonomy);
  const claimed = new Array<boolean>(tokens.length).fill(false);
  const best = new Map<string, number>();

  for (let len = Math.min(longest, tokens.length); len > 0; len--) {
    // Claim after the whole pass, so equal-length overlapping phrases all count.
    const spans: number[] = [];
    for (let start = 0; start + len <= tokens.length; start++) {
      if (claimed.slice(start, start + len).some(Boolean)) continue;
      const slugs = phrases.get(tokens.slice(start, start + len).join(" "));
      if (!slugs) continue;
      spans.push(start);
      const score = len / tokens.length;
      for (const slug of slugs) best.set(slug, Math.max(best.get(slug) ?? 0, score));
    }
    for (const start of spans) claimed.fill(true, start, start + len);
  }

  return [...best]
    .map(([slug, score]) => ({ slug, score }))
    .sort((a, b) => b.score - a.score || (order.get(a.slug) ?? 0) - (order.get(b.slug) ?? 0));
}
