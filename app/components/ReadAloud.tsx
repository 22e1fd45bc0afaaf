import { useTranslation } from "react-i18next";
import { useRootData } from "~/lib/root-data";

const VOICE_LANG: Record<string, string> = { en: "en-GB", es: "es-ES" };

/** Speaks text with the browser's own speech synthesis, in the text's language, at the person's rate. */
export function ReadAloudButton({ text, lang, label }: { text: string; lang: string; label?: string }) {
  const { t } = useTranslation();
  const { prefs } = useRootData();
  function speak() {
    if (typeof window === "undefined" || !("speechSynthesis" in window)) return;
    window.speechSynthesis.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.lang = VOICE_LANG[lang] ?? lang;
    u.rate = prefs.speechRate;
    window.speechSynthesis.speak(u);
  }
  return (
    <button type="button" className="button read-aloud" onClick={speak}>
      <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z"
        />
      </svg>
      {label ?? t("card.readAloud")}
    </button>
  );
}
