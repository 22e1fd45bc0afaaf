import { ApertiumTranslator, loadUseLite, noTranslator, type Embedder, type Translator } from "../../models/embed/index";
import { loadTaxonomy, type Taxonomy } from "../../models/taxonomy/index";

/**
 * The pipeline's heavy parts, made once per process: the sentence encoder, the translator (Apertium
 * when installed, else none; one long-lived process per direction) and the taxonomy. Services take a `Pipeline` so tests and scripts share them.
 */
export type Pipeline = { embedder: Embedder; translator: Translator; taxonomy: Taxonomy };

const g = globalThis as unknown as { __tableroPipeline?: Promise<Pipeline> };

export function getPipeline(): Promise<Pipeline> {
  g.__tableroPipeline ??= (async () => {
    const translator = process.env.TABLERO_NO_APERTIUM ? noTranslator : new ApertiumTranslator();
    // Apertium's pipelines load their dictionaries now, in the background, not on the first search.
    if (translator instanceof ApertiumTranslator) translator.warm();
    return { embedder: await loadUseLite(), translator, taxonomy: loadTaxonomy() };
  })();
  return g.__tableroPipeline;
}
