import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { DueBoard } from "~/services/reminders.server";
import { contentDir } from "~/i18n";

/**
 * The home page's reminder (issue 14): per board and practice type, how many cards are due today,
 * each a large link straight to practice; and the homework calendar (.ics) when there is homework.
 * Shown only when there is something to act on.
 */
export function DueToday({ due, hasHomework }: { due: DueBoard[]; hasHomework: boolean }) {
  const { t } = useTranslation("caseload");
  if (!due.length && !hasHomework) return null;
  return (
    <section aria-labelledby="due-h" className="due-today">
      <h2 id="due-h">{t("due.heading")}</h2>
      {due.length ? (
        <ul className="due-list">
          {due.map((d) => {
            const mode = t(`modes.${d.mode}`);
            return (
              <li key={`${d.boardId}-${d.mode}`}>
                <Link
                  className="button"
                  to={`/boards/${d.boardId}/practice${d.mode === "naming" ? "" : `?mode=${d.mode}`}`}
                  aria-label={t("common:punct.labelled", {
                    label: t("due.practise", { board: d.title, mode }),
                    value: t("due.line", { board: d.title, mode, count: d.due }),
                  })}
                >
                  <span lang={d.lang} dir={contentDir(d.lang)}>
                    {d.title}
                  </span>
                  <span>
                    {t("common:punct.label", { label: mode })} <strong>{d.due}</strong>
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      ) : (
        <p>{t("due.nothing")}</p>
      )}
      {hasHomework ? (
        <p className="standalone-link">
          <a href="/homework.ics" download>
            {t("due.calendar")}
          </a>
        </p>
      ) : null}
    </section>
  );
}
