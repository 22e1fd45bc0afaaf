import { useTranslation } from "react-i18next";
import { ReadAloudButton } from "~/components/ReadAloud";
import type { Cue } from "../../../models/therapy/cues";
import type { Locale } from "../../../db/enums";
import { contentDir } from "~/i18n";

/**
 * The text of one cue in the card's language (derived cues are sentences from the locale files, in the
 * card's language, so a Spanish card gets Spanish clues whatever the interface language).
 */
export function useCueText(lang: Locale, category: Record<Locale, string> | null) {
  const { i18n } = useTranslation("naming");
  const tc = i18n.getFixedT(lang, "naming");
  return (cue: Cue): string => {
    switch (cue.level) {
      case "semantic":
        if (!cue.derived) return cue.text;
        return category ? tc("cues.semanticDefault", { category: category[lang] }) : tc("cues.semanticNoCategory");
      case "sentence":
        return cue.derived ? tc("cues.sentenceDefault") : cue.text;
      case "firstSound":
        return `${cue.text}…`;
      default:
        return cue.text;
    }
  };
}

/** The first letters' visible start ("ch" of "ch____"). */
export const lettersStart = (pattern: string) => pattern.replace(/_.*$/s, "").trim();

/**
 * The cues revealed so far, in hierarchy order (an ordered list: a screen reader says "3 of 5"). Nothing
 * beyond `level` is rendered, so neither the page nor its accessibility tree gives a cue away early.
 * The route's data does carry every cue (and the word), on purpose: the next clue and the word appear
 * at once, without a round trip or a wait, and what a screen reader reads is the rendered page, which
 * the browser tests check never names the picture early. Without JavaScript, each clue is a GET.
 */
export function CueList({
  cues,
  level,
  lang,
  category,
  audio = null,
  className = "cue-list",
}: {
  cues: Cue[];
  level: number;
  lang: Locale;
  category: Record<Locale, string> | null;
  /** The card's own recording (the learner's, else its creator's): the word clue plays it, as Read aloud does. */
  audio?: string | null;
  className?: string;
}) {
  const { t } = useTranslation("naming");
  const text = useCueText(lang, category);
  if (level === 0) return null;
  return (
    <ol className={className} aria-label={t("cues.heading")}>
      {cues.slice(0, level).map((cue) => (
        <li key={cue.level} className={`cue cue-${cue.level}`}>
          {/* The colon is the language's ("Indice :" in French), from the locale files. */}
          <span className="cue-label">{t("common:punct.label", { label: t(`cues.${cue.level}`) })}</span>{" "}
          {cue.level === "firstLetters" ? (
            <span
              className="cue-letters"
              lang={lang}
              dir={contentDir(lang)}
              role="img"
              aria-label={t("cues.lettersLabel", { start: lettersStart(cue.text), count: cue.letters })}
            >
              {cue.text}
            </span>
          ) : cue.level === "wholeWord" ? (
            <>
              <span className="cue-text cue-word" lang={lang} dir={contentDir(lang)}>
                {cue.text}
              </span>{" "}
              <ReadAloudButton text={cue.text} lang={lang} label={t("cues.hearWord")} audio={audio} />
            </>
          ) : (
            <span className="cue-text" lang={lang} dir={contentDir(lang)}>
              {text(cue)}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
