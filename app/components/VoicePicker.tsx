import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { LOCALES } from "../../db/enums";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { languageName, loadVoices, voicesForLanguage } from "~/lib/speech";

/**
 * Settings › Reading voice (issue 14): per language, the computer voice that reads aloud, from the
 * voices this browser has (for Spanish, Spain's and Latin America's: es-ES, es-MX, es-US, es-419…).
 * Where a language has no voice it says so. A choice the device cannot list is kept as it was.
 */
export function VoicePicker({ chosen, busy }: { chosen: Record<string, string>; busy: boolean }) {
  const { t, i18n } = useTranslation("voice");
  const [voices, setVoices] = useState<SpeechSynthesisVoice[] | null>(null);
  const [picked, setPicked] = useState<Record<string, string>>(chosen);
  useEffect(() => {
    let live = true;
    void loadVoices().then((v) => live && setVoices(v));
    return () => {
      live = false;
    };
  }, []);

  function tryVoice(lang: string) {
    if (!voices || !("speechSynthesis" in window)) return;
    const voice = voicesForLanguage(voices, lang).find((v) => v.voiceURI === picked[lang]) ?? voicesForLanguage(voices, lang)[0];
    if (!voice) return;
    window.speechSynthesis.cancel();
    const u = new SpeechSynthesisUtterance(t("picker.sample", { lng: lang }));
    u.voice = voice;
    u.lang = voice.lang;
    window.speechSynthesis.speak(u);
  }

  return (
    <section aria-labelledby="voices-h" className="voice-picker">
      <h2 id="voices-h">{t("picker.heading")}</h2>
      <p>{t("picker.intro")}</p>
      <Form method="post" className="stack narrow">
        <input type="hidden" name="intent" value="voices" />
        {LOCALES.map((lang) => {
          const language = languageName(lang, i18n.language);
          const fits = voices ? voicesForLanguage(voices, lang) : [];
          const id = `voice-${lang}`;
          if (!voices || fits.length === 0) {
            return (
              <div key={lang} className="field">
                {chosen[lang] ? <input type="hidden" name={`voice.${lang}`} value={chosen[lang]} /> : null}
                <p className={voices ? "notice" : "hint"}>{voices ? t("picker.noVoice", { language }) : t("picker.loading")}</p>
              </div>
            );
          }
          return (
            <div key={lang} className="field">
              <label htmlFor={id}>{t("picker.label", { language })}</label>
              <select
                id={id}
                name={`voice.${lang}`}
                value={picked[lang] ?? ""}
                onChange={(e) => setPicked({ ...picked, [lang]: e.target.value })}
              >
                <option value="">{t("picker.default")}</option>
                {fits.map((v) => (
                  <option key={v.voiceURI} value={v.voiceURI}>
                    {v.name} ({languageName(v.lang, i18n.language)})
                  </option>
                ))}
              </select>
              <button type="button" className="button" onClick={() => tryVoice(lang)}>
                {t("picker.try")}
                <span className="visually-hidden"> ({language})</span>
              </button>
            </div>
          );
        })}
        <SubmitButton busy={busy} className="button primary">
          {t("picker.save")}
        </SubmitButton>
      </Form>
    </section>
  );
}
