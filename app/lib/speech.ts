/**
 * Choosing the browser's synthetic voice (issue 14). Browsers list their voices with BCP 47 tags
 * ("es-MX", some "es_MX"); a language's voices are those whose tag starts with it. For Spanish the
 * regional voices are all offered, Spain's and Latin America's first (es-ES, es-MX, es-US, es-419).
 */
export type VoiceLike = { voiceURI: string; name: string; lang: string; default?: boolean };

const REGION_ORDER: Record<string, string[]> = { es: ["es-ES", "es-MX", "es-US", "es-419"], en: ["en-GB", "en-US"] };

const norm = (tag: string) => tag.replace(/_/g, "-");

/** The voices that speak `lang` (a two-letter code), in the order a picker offers them. */
export function voicesForLanguage<V extends VoiceLike>(all: readonly V[], lang: string): V[] {
  // The text's language may carry a region ("es-MX"): any voice of its language can read it.
  const base = norm(lang).toLowerCase().split("-")[0]!;
  const order = REGION_ORDER[base] ?? [];
  const rank = (v: V) => {
    const i = order.findIndex((tag) => norm(v.lang).toLowerCase() === tag.toLowerCase());
    return i === -1 ? order.length : i;
  };
  return all
    .filter((v) => norm(v.lang).toLowerCase().split("-")[0] === base)
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The person's chosen voice for `lang` if the device still has it, else the first regional fit, else null. */
export function pickVoice<V extends VoiceLike>(all: readonly V[], lang: string, chosen?: string): V | null {
  const fits = voicesForLanguage(all, lang);
  return fits.find((v) => v.voiceURI === chosen) ?? fits.find((v) => v.default) ?? fits[0] ?? null;
}

/** A piece of text in one language, e.g. one card's word on a board of cards in several languages. */
export type SpeechPart = { text: string; lang: string };

/**
 * What to say, and with which voice: each piece with a voice of ITS language (the card's `lang`, never
 * the interface's), consecutive pieces of one language joined into one utterance. A piece whose
 * language this device has no voice for is not read with a wrong voice: its language is listed in
 * `missing`, for the page to say so.
 */
export function planSpeech<V extends VoiceLike>(
  parts: readonly SpeechPart[],
  all: readonly V[],
  chosen: Partial<Record<string, string>> = {},
): { utterances: { text: string; lang: string; voice: V }[]; missing: string[] } {
  const utterances: { text: string; lang: string; voice: V }[] = [];
  const missing: string[] = [];
  for (const part of parts) {
    const text = part.text.trim();
    if (!text) continue;
    const lang = norm(part.lang).toLowerCase().split("-")[0]!;
    const voice = pickVoice(all, lang, chosen[lang]);
    if (!voice) {
      if (!missing.includes(lang)) missing.push(lang);
      continue;
    }
    const last = utterances.at(-1);
    if (last && last.lang === lang) last.text = `${last.text}. ${text}`;
    else utterances.push({ text, lang, voice });
  }
  return { utterances, missing };
}

/**
 * The device's voices. Chrome lists none until its `voiceschanged` event, so an empty list is
 * waited for briefly; a device with no voices at all answers an empty list.
 */
export function loadVoices(waitMs = 1500): Promise<SpeechSynthesisVoice[]> {
  if (typeof window === "undefined" || !("speechSynthesis" in window)) return Promise.resolve([]);
  const synth = window.speechSynthesis;
  const now = synth.getVoices();
  if (now.length > 0) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = () => {
      synth.removeEventListener("voiceschanged", done);
      clearTimeout(timer);
      resolve(synth.getVoices());
    };
    const timer = setTimeout(done, waitMs);
    synth.addEventListener("voiceschanged", done);
  });
}

/** "Spanish (Mexico)" for "es-MX", in the page's language. */
export function languageName(tag: string, uiLang: string): string {
  try {
    return new Intl.DisplayNames([uiLang], { type: "language" }).of(norm(tag)) ?? tag;
  } catch {
    return tag;
  }
}
