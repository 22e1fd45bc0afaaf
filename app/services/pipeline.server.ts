import {
  ApertiumTranslator,
  CombinedTranslator,
  DictionaryTranslator,
  loadUseLite,
  noTranslator,
  type Embedder,
  type FrenchRoute,
  type Translator,
} from "../../models/embed/index";
import { loadTaxonomy, type Taxonomy } from "../../models/taxonomy/index";

/**
 * The pipeline's heavy parts, made once per process: the sentence encoder, the translator and the
 * taxonomy. Services take a `Pipeline` so tests and scripts share them.
 *
 * The translator is Apertium (Spanish↔English, French→Spanish→English; one long-lived process per
 * direction) together with the FreeDict dictionaries (German, Arabic, French ↔ English), each only
 * when its Debian packages are installed: without them a text simply stays untranslated.
 * `TABLERO_NO_APERTIUM=1` / `TABLERO_NO_DICTIONARIES=1` turn either off; `TABLERO_FRENCH_ROUTE`
 * (auto, the default | pivot | dictionary | both) and `TABLERO_DICT_SENSES` (senses kept per word) are for measuring.
 */
export type Pipeline = { embedder: Embedder; translator: Translator; taxonomy: Taxonomy };

const g = globalThis as unknown as { __tableroPipeline?: Promise<Pipeline> };

function makeTranslator(): Translator {
  const apertium = process.env.TABLERO_NO_APERTIUM ? null : new ApertiumTranslator();
  const senses = Number(process.env.TABLERO_DICT_SENSES) || undefined;
  const dictionary = process.env.TABLERO_NO_DICTIONARIES ? null : new DictionaryTranslator({ senses });
  if (!apertium && !dictionary) return noTranslator;
  const route = process.env.TABLERO_FRENCH_ROUTE;
  const french: FrenchRoute = route === "dictionary" || route === "both" || route === "pivot" ? route : "auto";
  const t = new CombinedTranslator(apertium, dictionary, french);
  // Apertium's pipelines start and the dictionaries are read now, in the background, not on the first
  // search; a failure there only means fewer translations.
  t.warm().catch(() => undefined);
  return t;
}

export function getPipeline(): Promise<Pipeline> {
  g.__tableroPipeline ??= (async () => {
    const translator = makeTranslator();
    return { embedder: await loadUseLite(), translator, taxonomy: loadTaxonomy() };
  })();
  return g.__tableroPipeline;
}
