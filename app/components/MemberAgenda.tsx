import { Link } from "@remix-run/react";
import { withKey } from "~/lib/share-link";
import { useTranslation } from "react-i18next";
import { contentDir } from "~/i18n";

/** memberAgenda()'s result as a loader sends it (dates may arrive as ISO strings). */
export type AgendaData = {
  sessions: {
    date: string;
    start: string | Date;
    end: string | Date;
    workshopId: number;
    workshopTitle: string;
    workshopLang: string;
    timeZone: string;
    role: "therapist" | "member";
    place: string;
    videoUrl: string;
  }[];
  homework: {
    id: number;
    workshopId: number;
    workshopTitle: string;
    boardId: number;
    boardTitle: string;
    boardLang: string;
    shareKey: string | null;
    dueOn: string;
  }[];
};

/** "Thursday, 3 December 2026, 10:00 (Europe/Madrid)": in the viewer's language and the workshop's zone. */
export function formatMeeting(lang: string, start: string | Date, timeZone: string) {
  const when = new Intl.DateTimeFormat(lang, {
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).format(new Date(start));
  return `${when} (${timeZone.replace(/_/g, " ")})`;
}

/** A calendar date "2026-12-03" in words, without any zone shift. */
export function formatDay(lang: string, date: string) {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** The calendar day of an instant in a zone, in words. */
export function formatInstantDay(lang: string, at: string | Date, timeZone: string) {
  return new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone }).format(new Date(at));
}

/**
 * Next workshop meetings and homework for one person (home page and /workshops). Each meeting links
 * to its session; each homework board has a Practise link.
 */
export function MemberAgenda({ agenda, headingLevel = 2 }: { agenda: AgendaData; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation("workshops");
  const H = `h${headingLevel}` as "h2";
  const Sub = `h${headingLevel + 1}` as "h3";
  if (!agenda.sessions.length && !agenda.homework.length) return null;
  return (
    <section className="member-agenda" aria-labelledby="agenda-h">
      <H id="agenda-h">{t("agenda.heading")}</H>
      {agenda.sessions.length ? (
        <>
          <Sub>{t("agenda.sessions")}</Sub>
          <ul className="agenda-list">
            {agenda.sessions.map((s) => (
              <li key={`${s.workshopId}-${s.date}`} className="agenda-item">
                <Link to={`/workshops/${s.workshopId}/sessions/${s.date}`} className="agenda-when">
                  <span lang={s.workshopLang} dir={contentDir(s.workshopLang)}>
                    {s.workshopTitle}
                  </span>
                  : {formatMeeting(i18n.language, s.start, s.timeZone)}
                </Link>
                {s.place ? <span className="meta">{s.place}</span> : null}
                {s.role === "therapist" ? <span className="meta">{t("agenda.youLead")}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {agenda.homework.length ? (
        <>
          <Sub>{t("agenda.homework")}</Sub>
          <ul className="agenda-list">
            {agenda.homework.map((h) => (
              <li key={h.id} className="agenda-item homework-item">
                <Link to={withKey(`/boards/${h.boardId}`, h.shareKey)}>
                  <span lang={h.boardLang} dir={contentDir(h.boardLang)}>
                    {h.boardTitle}
                  </span>
                </Link>
                <span className="agenda-when">{t("agenda.due", { date: formatDay(i18n.language, h.dueOn) })}</span>
                <span className="meta">{t("agenda.from", { workshop: h.workshopTitle })}</span>
                <Link
                  className="button small"
                  to={withKey(`/boards/${h.boardId}/practice`, h.shareKey)}
                  aria-label={t("agenda.practiseBoard", { board: h.boardTitle })}
                >
                  {t("agenda.practise")}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
