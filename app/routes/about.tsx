import type { MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { titleFor } from "~/lib/meta";

export const meta: MetaFunction = (args) => titleFor(args, "about.title");

const CREDITS = [
  { name: "OpenMoji", href: "https://openmoji.org/", licence: "CC BY-SA 4.0", key: "openmoji" },
  { name: "Emojibase", href: "https://emojibase.dev/", licence: "MIT", key: "emojibase" },
  { name: "Unicode CLDR", href: "https://cldr.unicode.org/", licence: "Unicode-3.0", key: "cldr" },
  { name: "Universal Sentence Encoder Lite", href: "https://www.tensorflow.org/hub", licence: "Apache-2.0", key: "use" },
  { name: "Remix, React, React Aria", href: "https://remix.run/", licence: "MIT / Apache-2.0", key: "libs" },
  { name: "SQLite, sqlite-vec, drizzle-orm", href: "https://sqlite.org/", licence: "Public domain / MIT / Apache-2.0", key: "db" },
] as const;

export default function About() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("about.heading")}</h1>
      <p className="lead">{t("about.intro")}</p>
      <h2>{t("about.creditsHeading")}</h2>
      <ul className="credits">
        {CREDITS.map((c) => (
          <li key={c.key}>
            <a href={c.href}>{c.name}</a> — {t(`about.credit.${c.key}`)}{" "}
            <span className="licence">
              ({t("about.licence")}: {c.licence})
            </span>
          </li>
        ))}
      </ul>
      <p>{t("about.openmojiNotice")}</p>
    </>
  );
}
