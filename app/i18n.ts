import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { UI_LOCALES } from "../db/enums";
import arAccess from "../locales/ar/access.json";
import arAccounts from "../locales/ar/accounts.json";
import arCommon from "../locales/ar/common.json";
import arFeed from "../locales/ar/feed.json";
import arHttp from "../locales/ar/http.json";
import arPractice from "../locales/ar/practice.json";
import arStories from "../locales/ar/stories.json";
import arWorkshops from "../locales/ar/workshops.json";
import arNaming from "../locales/ar/naming.json";
import arVoice from "../locales/ar/voice.json";
import arCaseload from "../locales/ar/caseload.json";
import deAccess from "../locales/de/access.json";
import deAccounts from "../locales/de/accounts.json";
import deCommon from "../locales/de/common.json";
import deFeed from "../locales/de/feed.json";
import deHttp from "../locales/de/http.json";
import dePractice from "../locales/de/practice.json";
import deStories from "../locales/de/stories.json";
import deWorkshops from "../locales/de/workshops.json";
import deNaming from "../locales/de/naming.json";
import deVoice from "../locales/de/voice.json";
import deCaseload from "../locales/de/caseload.json";
import enAccess from "../locales/en/access.json";
import enAccounts from "../locales/en/accounts.json";
import enCommon from "../locales/en/common.json";
import enFeed from "../locales/en/feed.json";
import enHttp from "../locales/en/http.json";
import enNaming from "../locales/en/naming.json";
import enPractice from "../locales/en/practice.json";
import enStories from "../locales/en/stories.json";
import enCaseload from "../locales/en/caseload.json";
import enWorkshops from "../locales/en/workshops.json";
import esAccess from "../locales/es/access.json";
import enVoice from "../locales/en/voice.json";
import esAccounts from "../locales/es/accounts.json";
import esCommon from "../locales/es/common.json";
import esFeed from "../locales/es/feed.json";
import esHttp from "../locales/es/http.json";
import esNaming from "../locales/es/naming.json";
import esPractice from "../locales/es/practice.json";
import esStories from "../locales/es/stories.json";
import esCaseload from "../locales/es/caseload.json";
import esWorkshops from "../locales/es/workshops.json";
import esVoice from "../locales/es/voice.json";
import frAccess from "../locales/fr/access.json";
import frAccounts from "../locales/fr/accounts.json";
import frCommon from "../locales/fr/common.json";
import frFeed from "../locales/fr/feed.json";
import frHttp from "../locales/fr/http.json";
import frPractice from "../locales/fr/practice.json";
import frStories from "../locales/fr/stories.json";
import frWorkshops from "../locales/fr/workshops.json";
import frNaming from "../locales/fr/naming.json";
import frVoice from "../locales/fr/voice.json";
import frCaseload from "../locales/fr/caseload.json";

/** One namespace per feature area, so each stays a file one can read; "common" is the default. */
export const NAMESPACES = [
  "common",
  "workshops",
  "practice",
  "stories",
  "feed",
  "access",
  "accounts",
  "http",
  "naming",
  "voice",
  "caseload",
] as const;
export type Namespace = (typeof NAMESPACES)[number];
/** Every interface language has every namespace (tests/unit/locales.test.ts keeps them in step with English). */
export const resources = {
  en: {
    common: enCommon,
    workshops: enWorkshops,
    practice: enPractice,
    stories: enStories,
    feed: enFeed,
    access: enAccess,
    accounts: enAccounts,
    http: enHttp,
    naming: enNaming,
    voice: enVoice,
    caseload: enCaseload,
  },
  es: {
    common: esCommon,
    workshops: esWorkshops,
    practice: esPractice,
    stories: esStories,
    feed: esFeed,
    access: esAccess,
    accounts: esAccounts,
    http: esHttp,
    naming: esNaming,
    voice: esVoice,
    caseload: esCaseload,
  },
  fr: {
    common: frCommon,
    workshops: frWorkshops,
    practice: frPractice,
    stories: frStories,
    feed: frFeed,
    access: frAccess,
    accounts: frAccounts,
    http: frHttp,
    naming: frNaming,
    voice: frVoice,
    caseload: frCaseload,
  },
  de: {
    common: deCommon,
    workshops: deWorkshops,
    practice: dePractice,
    stories: deStories,
    feed: deFeed,
    access: deAccess,
    accounts: deAccounts,
    http: deHttp,
    naming: deNaming,
    voice: deVoice,
    caseload: deCaseload,
  },
  ar: {
    common: arCommon,
    workshops: arWorkshops,
    practice: arPractice,
    stories: arStories,
    feed: arFeed,
    access: arAccess,
    accounts: arAccounts,
    http: arHttp,
    naming: arNaming,
    voice: arVoice,
    caseload: arCaseload,
  },
} as const;
/** The interface languages; the same list as the account's `locale` column (db/enums.ts UI_LOCALES). */
export const supportedLngs = UI_LOCALES;
export type Lng = (typeof supportedLngs)[number];
export const isLng = (s: unknown): s is Lng => typeof s === "string" && (supportedLngs as readonly string[]).includes(s);

/** Languages written right to left; of the five, Arabic. */
const RTL = new Set<string>(["ar"]);
/** Direction of a language's script, for `<html dir>` and anything laid out by hand. */
export const dirOf = (lng: string): "ltr" | "rtl" => (RTL.has(lng) ? "rtl" : "ltr");
/** `dir` for content marked with its own `lang` inside a page of another language, so that its script
 * runs its own way (an Arabic hint in a French page, a French title in an Arabic one); undefined when unknown. */
export const contentDir = (lng: string | null | undefined) => (lng ? dirOf(lng) : undefined);

/** "de Tomás", "d’Ana", "d’Hélène": French's "of" before a name (elided before a vowel or h). */
export function frenchDe(name: string): string {
  return /^[aeiouyhàâäéèêëîïôöûüùœæ]/iu.test(name.trim()) ? `d’${name}` : `de ${name}`;
}

/**
 * One synchronous i18next instance per language, made the same way on server and client, so the
 * hydrated page matches the server's HTML. All languages are bundled: they are small.
 */
const cache = new Map<Lng, i18n>();
export function i18nFor(lng: Lng): i18n {
  let inst = cache.get(lng);
  if (!inst) {
    inst = i18next.createInstance();
    void inst.use(initReactI18next).init({
      lng,
      fallbackLng: "en",
      supportedLngs: [...supportedLngs],
      defaultNS: "common",
      // A feature's form shows shared wording (form.fixErrors, errors.required) from common without
      // spelling the namespace; without this fallback those keys were shown raw.
      fallbackNS: "common",
      ns: [...NAMESPACES],
      resources,
      initImmediate: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    // French "de" before a name elides before a vowel or a mute h: "les progrès d’Ana", "de Tomás".
    // Written in the strings as `{{name, deName}}`.
    inst.services.formatter?.add("deName", (value: unknown) => frenchDe(String(value)));
    cache.set(lng, inst);
  }
  return inst;
}
