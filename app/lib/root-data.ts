import { useRouteLoaderData } from "@remix-run/react";
import { createContext, useContext } from "react";
import { isLng, type Lng } from "~/i18n";

export type Prefs = { textSize: 100 | 150 | 200; highContrast: boolean; reducedMotion: boolean; speechRate: number };
/** The synthetic voice chosen per language (language code → the browser voice's voiceURI). */
export type VoiceChoices = Record<string, string>;
export type RootData = { locale: Lng; prefs: Prefs; voices: VoiceChoices; user: { id: number; displayName: string } | null };

const FALLBACK: RootData = {
  locale: "en",
  prefs: { textSize: 100, highContrast: false, reducedMotion: false, speechRate: 0.9 },
  voices: {},
  user: null,
};

/**
 * The language of a page drawn without the root loader's data. An error thrown by an action (a form
 * that cannot be read, say) is caught by root's ErrorBoundary, and Remix then runs no loader at or
 * below root; the page must still speak the visitor's language. The server finds it (entry.server.tsx,
 * errorPageLocale: the account's, else the cookie's or the browser's), and the browser reads it back
 * from <html lang>, so the hydrated page says the same as the server's.
 */
const FallbackLocaleContext = createContext<string | undefined>(undefined);
export const FallbackLocaleProvider = FallbackLocaleContext.Provider;

function fallbackLocale(fromServer: string | undefined): Lng {
  if (isLng(fromServer)) return fromServer;
  const fromPage = typeof document === "undefined" ? undefined : document.documentElement.lang;
  return isLng(fromPage) ? fromPage : "en";
}

/** The root loader's data; on an error page it may be missing: the visitor's language, default settings. */
export function useRootData(): RootData {
  const data = useRouteLoaderData("root") as RootData | undefined;
  const fromServer = useContext(FallbackLocaleContext);
  return data ?? { ...FALLBACK, locale: fallbackLocale(fromServer) };
}
