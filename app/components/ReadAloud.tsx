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
      <span aria-hidden="true">🔊 </span>
      {label ?? t("card.readAloud")}
    </button>
  );
}
