import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useRootData } from "~/lib/root-data";
import { languageName, loadVoices, pickVoice } from "~/lib/speech";

const SpeakerIcon = () => (
  <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z"
    />
  </svg>
);

/**
 * Reads text aloud: a recording in someone's own voice when there is one (`audio`, issue 14), else the
 * browser's speech synthesis in the text's language, with the voice chosen in Settings, at the
 * person's rate. Where no voice can speak the language, it says so instead of doing nothing.
 */
export function ReadAloudButton({ text, lang, label, audio }: { text: string; lang: string; label?: string; audio?: string | null }) {
  const { t, i18n } = useTranslation();
  const { prefs, voices } = useRootData();
  const [problem, setProblem] = useState<string | null>(null);

  async function speak() {
    if (typeof window === "undefined" || !("speechSynthesis" in window)) {
      setProblem(t("voice:synth.noSpeech"));
      return;
    }
    const voice = pickVoice(await loadVoices(), lang, voices[lang]);
    if (!voice) {
      setProblem(t("voice:synth.noVoice", { language: languageName(lang, i18n.language) }));
      return;
    }
    window.speechSynthesis.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = prefs.speechRate;
    window.speechSynthesis.speak(u);
  }

  function play() {
    setProblem(null);
    if (!audio) return void speak();
    const el = new Audio(audio);
    // A recording that will not play (gone, or a format this browser lacks) falls back to the voice.
    el.play().catch(() => void speak());
  }

  return (
    <>
      <button type="button" className="button read-aloud" onClick={play} data-own-voice={audio ? "" : undefined}>
        <SpeakerIcon />
        {label ?? t("card.readAloud")}
      </button>
      {/* Only there when something is wrong (an alert is announced as it appears): pages keep their one status region. */}
      {problem ? (
        <span role="alert" className="read-aloud-problem">
          {problem}
        </span>
      ) : null}
    </>
  );
}
