import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useRootData } from "~/lib/root-data";
import { languageName, loadVoices, planSpeech, type SpeechPart } from "~/lib/speech";

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
export function ReadAloudButton(
  props: ({ text: string; lang: string } | { parts: SpeechPart[] }) & { label?: string; audio?: string | null },
) {
  const { label, audio } = props;
  // Several pieces (a board's words) are each read in their own language.
  const parts = "parts" in props ? props.parts : [{ text: props.text, lang: props.lang }];
  const { t, i18n } = useTranslation();
  const { prefs, voices } = useRootData();
  const [problem, setProblem] = useState<string | null>(null);

  async function speak() {
    if (typeof window === "undefined" || !("speechSynthesis" in window)) {
      setProblem(t("voice:synth.noSpeech"));
      return;
    }
    // A voice of the TEXT's language (a Spanish card in a French interface is read in Spanish); where
    // the device has none, the page says so rather than reading with a voice of another language.
    const plan = planSpeech(parts, await loadVoices(), voices);
    if (plan.missing.length) {
      const names = plan.missing.map((l) => languageName(l, i18n.language));
      setProblem(t("voice:synth.noVoice", { language: new Intl.ListFormat(i18n.language, { type: "conjunction" }).format(names) }));
    }
    window.speechSynthesis.cancel();
    for (const part of plan.utterances) {
      const u = new SpeechSynthesisUtterance(part.text);
      u.voice = part.voice;
      u.lang = part.voice.lang;
      u.rate = prefs.speechRate;
      window.speechSynthesis.speak(u);
    }
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
