import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import enAccounts from "../locales/en/accounts.json";
import en from "../locales/en/common.json";
import enFeed from "../locales/en/feed.json";
import enHttp from "../locales/en/http.json";
import enPractice from "../locales/en/practice.json";
import enStories from "../locales/en/stories.json";
import enAccess from "../locales/en/access.json";
import enCaseload from "../locales/en/caseload.json";
import enWorkshops from "../locales/en/workshops.json";
import esAccounts from "../locales/es/accounts.json";
import es from "../locales/es/common.json";
import esFeed from "../locales/es/feed.json";
import esHttp from "../locales/es/http.json";
import esPractice from "../locales/es/practice.json";
import esStories from "../locales/es/stories.json";
import esAccess from "../locales/es/access.json";
import esCaseload from "../locales/es/caseload.json";
import esWorkshops from "../locales/es/workshops.json";

/** One namespace per feature area, so each stays a file one can read; "common" is the default. */
export const NAMESPACES = ["common", "workshops", "practice", "stories", "feed", "access", "accounts", "http", "caseload"] as const;
export type Namespace = (typeof NAMESPACES)[number];
export const resources = {
  en: {
    common: en,
    workshops: enWorkshops,
    practice: enPractice,
    stories: enStories,
    feed: enFeed,
    access: enAccess,
    accounts: enAccounts,
    http: enHttp,
    caseload: enCaseload,
  },
  es: {
    common: es,
    workshops: esWorkshops,
    practice: esPractice,
    stories: esStories,
    feed: esFeed,
    access: esAccess,
    accounts: esAccounts,
    http: esHttp,
    caseload: esCaseload,
  },
} as const;
export const supportedLngs = ["en", "es"] as const;
export type Lng = (typeof supportedLngs)[number];

/** Direction of a language's script; both shipped languages are left-to-right. */
export const dirOf = (_lng: Lng): "ltr" | "rtl" => "ltr";

/**
 * One synchronous i18next instance per language, made the same way on server and client, so the
 * hydrated page matches the server's HTML. Both languages are bundled: they are small.
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
    cache.set(lng, inst);
  }
  return inst;
}
