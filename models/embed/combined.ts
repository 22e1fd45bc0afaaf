import { words, type DictionaryTranslator } from "../lang/translator";
import type { TranslationHints, Translator } from "./index";

/**
 * How French reaches English: Apertium French→Spanish then Spanish→English ("pivot"), the FreeDict
 * dictionary word by word ("dictionary"), both texts joined ("both"), or by length ("auto", the
 * default): both for a short text (at most SHORT_TEXT_WORDS words: a search, a card's word), the pivot
 * for sentences. Chosen on DEV halves only (docs/quality.md, issue 15): on the translated Cranfield
 * questions (long, technical) the pivot was best and joining hurt; on the starter library's words
 * (DEV half by picture) joining was best, Apertium alone leaving many single words unknown.
 */
export type FrenchRoute = "pivot" | "dictionary" | "both" | "auto";

/** A text this short is a search or a word, not a sentence ("auto" joins both routes for it). */
export const SHORT_TEXT_WORDS = 6;
const isShort = (text: string) => text.split(/\s+/u).filter(Boolean).length <= SHORT_TEXT_WORDS;

type Apertium = Translator & { warm?: () => void };

/**
 * Apertium where it has a pair (Spanish↔English and French↔Spanish directly, French→English by pivot
 * through Spanish), the dictionaries for the rest (German, Arabic, French as chosen; English into
 * French, German, Arabic; the direct pairs between French, German and Spanish). Either part may be
 * missing at run time: it then answers for what it has, and a direction nobody has gives the texts
 * back unchanged.
 */
export class CombinedTranslator implements Translator {
  readonly id: string;

  constructor(
    private readonly apertium: Apertium | null,
    private readonly dictionary: DictionaryTranslator | null,
    private readonly french: FrenchRoute = "auto",
  ) {
    // Part of every indexed text's content hash: a different translator re-translates the cards.
    // "es-fill": English words Apertium does not know are looked up in the dictionary (withDictionaryForUnknown).
    this.id =
      [apertium?.id, dictionary?.id, dictionary && this.pivots() ? `fr-${french}` : "", apertium && dictionary ? "es-fill" : ""]
        .filter(Boolean)
        .join("+") || "none";
  }

  private pivots(): boolean {
    return !!this.apertium?.canTranslateBetween("fr", "es") && this.apertium.canTranslateBetween("es", "en");
  }

  canTranslate(from: string): boolean {
    return this.canTranslateBetween(from, "en");
  }

  canTranslateBetween(from: string, to: string): boolean {
    if (this.apertium?.canTranslateBetween(from, to)) return true;
    if (from === "fr" && to === "en" && this.pivots()) return true;
    return !!this.dictionary?.canTranslateBetween(from, to);
  }

  toEnglish(texts: string[], from: string, hints?: TranslationHints): Promise<string[]> {
    return this.translate(texts, from, "en", hints);
  }

  async translate(texts: string[], from: string, to: string, hints?: TranslationHints): Promise<string[]> {
    if (!texts.length) return texts;
    const dict = this.dictionary?.canTranslateBetween(from, to) ? this.dictionary : null;
    if (this.apertium?.canTranslateBetween(from, to)) {
      const out = await this.apertium.translate(texts, from, to);
      // English out (Spanish → English) is not filled: that pair's figures were chosen without it.
      return dict && to !== "en" ? this.withDictionaryForUnknown(texts, out, dict, from, to, hints) : out;
    }
    if (from === "fr" && to === "en" && this.pivots() && (this.french !== "dictionary" || !dict)) {
      const viaSpanish = await this.apertium!.translate(await this.apertium!.translate(texts, "fr", "es"), "es", "en");
      if (this.french === "pivot" || !dict) return viaSpanish;
      const words = await dict.translate(texts, from, to, hints);
      return viaSpanish.map((t, i) => (this.french === "both" || isShort(texts[i]!) ? `${t} ${words[i]}` : t));
    }
    return dict ? dict.translate(texts, from, to, hints) : texts;
  }

  /**
   * Words Apertium gave back unchanged (it lacks "snowflake", "spaghetti": it runs with -u, so an
   * unknown word comes back as written) get the dictionary's senses beside them: "snowflake" →
   * "snowflake copo de nieve"; French → Spanish through fra-spa likewise. A word the two languages
   * share ("piano") gets the dictionary's word, which is usually itself.
   */
  private async withDictionaryForUnknown(
    texts: string[],
    out: string[],
    dict: DictionaryTranslator,
    from: string,
    to: string,
    hints?: TranslationHints,
  ): Promise<string[]> {
    return Promise.all(
      out.map(async (t, i) => {
        const said = new Set(words(t.toLowerCase()));
        const unknown = [...new Set(words(texts[i]!.toLowerCase()))].filter((w) => w.length > 2 && said.has(w));
        if (!unknown.length) return t;
        const [filled] = await dict.translate([unknown.join(" ")], from, to, hints);
        const extra = filled && filled.toLowerCase() !== unknown.join(" ") ? filled : "";
        return extra ? `${t} ${extra}` : t;
      }),
    );
  }

  /** Starts Apertium's pipelines and reads the dictionaries in the background; resolves when done. */
  warm(): Promise<void> {
    this.apertium?.warm?.();
    return this.dictionary?.warm() ?? Promise.resolve();
  }
}
