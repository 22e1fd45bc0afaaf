import { useTranslation } from "react-i18next";
import type { HomeworkStatus } from "~/services/caseload.server";

type Item = {
  assignmentId: number;
  workshopTitle: string;
  boardTitle: string;
  dueOn: string;
  cards: number;
  practised: number;
  status: HomeworkStatus;
};

/** A learner's homework: board, workshop, due date, and done / started (n of m cards) / not started, in words. */
export function HomeworkTable({ items }: { items: Item[] }) {
  const { t, i18n } = useTranslation("caseload");
  if (!items.length) return <p className="empty">{t("homework.none")}</p>;
  const day = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
  return (
    <div className="table-scroll">
      <table className="caseload-table">
        <caption>{t("homework.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("homework.board")}</th>
            <th scope="col" className="text-cell">
              {t("homework.workshop")}
            </th>
            <th scope="col" className="text-cell">
              {t("homework.due")}
            </th>
            <th scope="col" className="text-cell">
              {t("homework.status")}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((h) => (
            <tr key={h.assignmentId}>
              <th scope="row">{h.boardTitle}</th>
              <td className="text-cell">{h.workshopTitle}</td>
              <td className="text-cell">{day(h.dueOn)}</td>
              <td className={`text-cell status-${h.status}`}>{t(`homework.${h.status}`, { practised: h.practised, cards: h.cards })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
