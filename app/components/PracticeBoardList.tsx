import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Locale } from "../../db/enums";
import { contentDir } from "~/i18n";

export type PracticeBoardItem = { id: number; title: string; lang: Locale; cardCount: number; practised: number; waiting: number };

/** Boards being practised, each with what is waiting now and a large "Practise" link. */
export function PracticeBoardList({ boards, learnerId }: { boards: PracticeBoardItem[]; learnerId: number | null }) {
  const { t } = useTranslation("practice");
  const q = learnerId === null ? "" : `?learner=${learnerId}`;
  return (
    <ul className="practice-boards">
      {boards.map((b) => (
        <li key={b.id} className="practice-board">
          <div>
            <Link className="practice-board-title" to={`/boards/${b.id}`} lang={b.lang} dir={contentDir(b.lang)}>
              {b.title}
            </Link>
            <p className="meta">
              {/* The practice page's own words and count ("Waiting: n"), from the same function. */}
              {b.waiting ? <strong>{t("practise.waiting", { n: b.waiting })}</strong> : t("overview.noneDue")} ·{" "}
              {t("overview.practised", { practised: b.practised, total: b.cardCount })}
            </p>
          </div>
          <Link className={`button ${b.waiting ? "primary" : ""}`} to={`/boards/${b.id}/practice${q}`}>
            {t("overview.practise")}
            <span className="visually-hidden">
              :{" "}
              <span lang={b.lang} dir={contentDir(b.lang)}>
                {b.title}
              </span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
