import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { MemberCompletion } from "~/services/caseload.server";

type Assignment = { id: number; boardTitle: string; dueOn: string };

/**
 * The workshop page's "who did the homework" table, for the therapist: one row per participant, one
 * column per assignment, each cell in words (done / started n of m / not started / not given), and the
 * person's name links to their record on the caseload.
 */
export function HomeworkCompletion({
  members,
  assignments,
  formatDue,
}: {
  members: MemberCompletion[];
  assignments: Assignment[];
  formatDue: (iso: string) => string;
}) {
  const { t } = useTranslation("caseload");
  if (!assignments.length) return null;
  return (
    <section aria-labelledby="completion-h">
      <h3 id="completion-h">{t("homework.completionHeading")}</h3>
      {members.length ? (
        <div className="table-scroll">
          <table className="caseload-table">
            <caption>{t("homework.completionCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("homework.member")}</th>
                {assignments.map((a) => (
                  <th scope="col" key={a.id}>
                    {a.boardTitle} <span className="hint">({formatDue(a.dueOn)})</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.userId}>
                  <th scope="row">
                    <Link to={`/caseload/${m.userId}`}>{m.displayName}</Link>
                  </th>
                  {assignments.map((a) => {
                    const item = m.items.find((i) => i.assignmentId === a.id);
                    return (
                      <td key={a.id} className={`text-cell${item ? ` status-${item.status}` : ""}`}>
                        {item ? t(`homework.${item.status}`, { practised: item.practised, cards: item.cards }) : t("homework.notGiven")}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">{t("homework.noMembers")}</p>
      )}
    </section>
  );
}
