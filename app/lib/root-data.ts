import { useRouteLoaderData } from "@remix-run/react";
import type { Lng } from "~/i18n";

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

/** The root loader's data; on an error page it may be missing, so fall back to English defaults. */
export function useRootData(): RootData {
  return (useRouteLoaderData("root") as RootData | undefined) ?? FALLBACK;
}
