import { TEXT_SIZES, UI_LOCALES, type UiLocale, type User } from "../../db/tables";
import { readCookie, serializeCookie } from "./session.server";
import { DEFAULT_PREFS, prefsOf, type AccessibilityPrefs } from "./users.server";

const LANG_COOKIE = "tablero_lng";
const A11Y_COOKIE = "tablero_a11y";
const VOICES_COOKIE = "tablero_voices";
const YEAR_S = 365 * 24 * 3600;

const isLocale = (s: string | undefined): s is UiLocale => !!s && (UI_LOCALES as readonly string[]).includes(s);

/**
 * Picks the best interface language from an Accept-Language header, by q-value: a region or script
 * subtag names its language (fr-CA → fr, de-AT → de, ar-EG → ar), equal q-values keep the header's
 * order, and `*` or a malformed q-value counts for nothing.
 */
export function fromAcceptLanguage(header: string | null): UiLocale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().toLowerCase().startsWith("q="));
      const qv = q ? Number(q.trim().slice(2)) : 1;
      return { lang: tag.trim().toLowerCase().split(/[-_]/)[0], q: Number.isFinite(qv) ? qv : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.map((x) => x.lang).find(isLocale) ?? null;
}

/** The account's language, else the visitor's choice, else the browser's, else English. */
export function resolveLocale(request: Request, user: User | null): UiLocale {
  if (user) return user.locale;
  const chosen = readCookie(request, LANG_COOKIE);
  if (isLocale(chosen)) return chosen;
  return fromAcceptLanguage(request.headers.get("Accept-Language")) ?? "en";
}

export function localeCookie(request: Request, locale: UiLocale): string {
  return serializeCookie(request, LANG_COOKIE, locale, YEAR_S, false);
}

export function parseLocale(value: unknown): UiLocale | null {
  return typeof value === "string" && isLocale(value) ? value : null;
}

/** Visitors keep their accessibility settings in a cookie; accounts keep them in the database. */
export function resolvePrefs(request: Request, user: User | null): AccessibilityPrefs {
  if (user) return prefsOf(user);
  const raw = readCookie(request, A11Y_COOKIE);
  if (!raw) return DEFAULT_PREFS;
  try {
    const p = JSON.parse(raw) as Partial<AccessibilityPrefs>;
    return {
      textSize: (TEXT_SIZES as readonly number[]).includes(Number(p.textSize))
        ? (Number(p.textSize) as AccessibilityPrefs["textSize"])
        : 100,
      highContrast: p.highContrast === true,
      reducedMotion: p.reducedMotion === true,
      speechRate: typeof p.speechRate === "number" && p.speechRate >= 0.5 && p.speechRate <= 1.5 ? p.speechRate : DEFAULT_PREFS.speechRate,
    };
  } catch {
    return DEFAULT_PREFS;
  }
}

export function prefsCookie(request: Request, prefs: AccessibilityPrefs): string {
  return serializeCookie(request, A11Y_COOKIE, JSON.stringify(prefs), YEAR_S);
}

/** A browser voice's voiceURI is an opaque name; anything longer than this is not one. */
const MAX_VOICE_NAME = 200;

/**
 * The synthetic voice chosen per language (issue 14), only for the languages the site speaks; an
 * empty choice means "the device's choice". Invalid entries are dropped, never an error.
 */
export function parseVoiceChoices(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== "object") return out;
  for (const [lang, name] of Object.entries(raw as Record<string, unknown>)) {
    if (isLocale(lang) && typeof name === "string" && name.trim() && name.length <= MAX_VOICE_NAME) out[lang] = name.trim();
  }
  return out;
}

/** The chosen voices from the settings form's `voice.<lang>` fields. */
export function voiceChoicesFromForm(form: FormData): Record<string, string> {
  const raw: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) if (name.startsWith("voice.")) raw[name.slice("voice.".length)] = value;
  return parseVoiceChoices(raw);
}

/** Accounts keep their voices in the database, visitors in a cookie. */
export function resolveVoices(request: Request, user: User | null): Record<string, string> {
  if (user) return parseVoiceChoices(user.speechVoices);
  const raw = readCookie(request, VOICES_COOKIE);
  if (!raw) return {};
  try {
    return parseVoiceChoices(JSON.parse(raw));
  } catch {
    return {};
  }
}

export function voicesCookie(request: Request, voices: Record<string, string>): string {
  return serializeCookie(request, VOICES_COOKIE, JSON.stringify(voices), YEAR_S);
}
