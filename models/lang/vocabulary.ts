import type { ContentLang, Vocabulary } from "../embed/language";
import { DICT_DIR, freeDict } from "./freedict";
import { reducedForms } from "./inflect";

/**
 * Language evidence from the dictionaries' headwords: a word is Spanish, French or German when that
 * language's dictionary (xxx-eng) lists it, English when an English one (eng-xxx) lists it or its
 * singular/base form. Missing dictionaries just give less evidence.
 */
export function dictionaryVocabulary(dir = DICT_DIR): Vocabulary {
  const source = { es: "spa-eng", fr: "fra-eng", de: "deu-eng" } as const;
  const english = ["eng-deu", "eng-fra", "eng-spa", "eng-ara"];
  return (word) => {
    const w = word.toLowerCase();
    const out: ContentLang[] = [];
    for (const [lang, pair] of Object.entries(source) as [ContentLang, string][]) if (freeDict(pair, dir)?.has(w)) out.push(lang);
    const forms = reducedForms("en", w).slice(0, 3);
    if (english.some((p) => forms.some((f) => freeDict(p, dir)?.has(f)))) out.push("en");
    return out;
  };
}
