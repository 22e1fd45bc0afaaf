import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { withKey } from "~/lib/share-link";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { useFocusWhenLost } from "~/lib/focus";
import { formatDay, formatMeeting } from "~/components/MemberAgenda";
import { WorkshopFormAlert } from "~/components/WorkshopForm";
import { contentDir, i18nFor } from "~/i18n";
import { notesSchema, parseWorkshopForm } from "~/lib/workshop-forms";
import { context, formId, idParam } from "~/services/request.server";
import { attachBoard, detachBoard, moveBoard, saveAttendance, saveNotes, sessionPlan } from "~/services/workshop-sessions.server";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { attemptSave, NOT_SAVED, savingOrThrow } from "~/services/save-failure.server";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Tablero" }];
  const t = i18nFor(data.locale).t;
  return [{ title: `${t("workshops:session.title", { date: formatDay(data.locale, data.date) })} · ${data.workshop.title} — Tablero` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, locale } = await context(request);
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const plan = await sessionPlan(db, idParam(params.workshopId), String(params.date), user, q);
  return { ...plan, date: String(params.date), locale };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, locale } = await context(request);
  if (!user) throw new Response("Not found", { status: 404 });
  const id = idParam(params.workshopId);
  const date = String(params.date);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const t = i18nFor(locale).t;
  switch (intent) {
    case "attach":
      await savingOrThrow(() => attachBoard(db, id, date, user, formId(form, "boardId")));
      return { intent, done: t("workshops:session.attached") };
    case "detach":
      await savingOrThrow(() => detachBoard(db, id, date, user, formId(form, "boardId")));
      return { intent, done: t("workshops:session.detached") };
    case "up":
    case "down":
      await savingOrThrow(() => moveBoard(db, id, date, user, formId(form, "boardId"), intent));
      return { intent, done: t("workshops:session.moved") };
    case "attendance":
      await savingOrThrow(() =>
        saveAttendance(
          db,
          id,
          date,
          user,
          form
            .getAll("present")
            .map((v) => Number(v))
            .filter((n) => Number.isSafeInteger(n)),
        ),
      );
      return { intent, done: t("workshops:session.attendanceSaved") };
    case "notes": {
      const parsed = parseWorkshopForm(notesSchema, form);
      if (!parsed.ok) return data({ intent, errors: parsed.errors, mine: String(form.get("notes") ?? "") }, { status: 400 });
      // Notes can be long: a failed save gives them back in the form rather than an error page.
      const attempt = await attemptSave(() => saveNotes(db, id, date, user, parsed.data.notes, parsed.data.notesVersion));
      if (!attempt.ok)
        return data({ intent, errors: { form: NOT_SAVED } as Record<string, string>, mine: parsed.data.notes }, { status: 503 });
      const r = attempt.value;
      if (!r.ok) return data({ intent, conflict: { mine: parsed.data.notes, current: r.current, version: r.version } }, { status: 409 });
      return { intent, done: t("workshops:session.notesSaved") };
    }
    default:
      return data({ intent, errors: { form: "workshops:errors.invalid" } }, { status: 400 });
  }
}

type ActionData = {
  intent?: string;
  done?: string;
  errors?: Record<string, string>;
  mine?: string;
  conflict?: { mine: string; current: string; version: number };
};

export default function SessionPlan() {
  const { workshop: w, role, meeting, boards, therapist, date } = useLoaderData<typeof loader>();
  const a = (useActionData<typeof action>() ?? {}) as ActionData;
  const { t, i18n } = useTranslation("workshops");
  const busy = useNavigation().state === "submitting";
  const lang = i18n.language;
  const conflict = a.intent === "notes" ? a.conflict : undefined;
  // Adding or removing a board removes the pressed button; saving notes re-mounts the form.
  const doneRef = useRef<HTMLParagraphElement>(null);
  useFocusWhenLost(doneRef, a.done ? a : null);
  return (
    <>
      <nav aria-label={t("session.breadcrumb")}>
        <ol className="breadcrumb">
          <li>
            <Link to="/workshops">{t("list.heading")}</Link>
          </li>
          <li>
            <Link to={`/workshops/${w.id}`} lang={w.lang} dir={contentDir(w.lang)}>
              {w.title}
            </Link>
          </li>
        </ol>
      </nav>
      <h1>{t("session.heading", { date: formatDay(lang, date) })}</h1>
      <p className="lead">{formatMeeting(lang, meeting.start, w.timeZone)}</p>
      {a.done ? (
        <p role="status" className="notice" tabIndex={-1} ref={doneRef}>
          {a.done}
        </p>
      ) : null}
      <p className="standalone-link">
        <Link className="button primary present-link" to={`/workshops/${w.id}/sessions/${date}/present`}>
          {t("session.present")}
        </Link>
      </p>

      <section aria-labelledby="boards-h">
        <h2 id="boards-h">{t("session.boards")}</h2>
        {boards.length ? (
          <ol className="session-boards">
            {boards.map((b, i) => (
              <li key={b.id} className="arrange-item">
                <span className="arrange-word">
                  <Link to={withKey(`/boards/${b.id}`, b.shareKey)} lang={b.lang} dir={contentDir(b.lang)}>
                    {b.title}
                  </Link>{" "}
                  <span className="meta">{t("session.cardCount", { count: b.cardCount })}</span>
                </span>
                {role === "therapist" ? (
                  <Form method="post" className="arrange-buttons" preventScrollReset>
                    <input type="hidden" name="boardId" value={b.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="up"
                      className="button small"
                      disabled={i === 0}
                      aria-label={t("session.upBoard", { board: b.title })}
                    >
                      {t("session.up")}
                    </button>
                    <button
                      type="submit"
                      name="intent"
                      value="down"
                      className="button small"
                      disabled={i === boards.length - 1}
                      aria-label={t("session.downBoard", { board: b.title })}
                    >
                      {t("session.down")}
                    </button>
                    <button
                      type="submit"
                      name="intent"
                      value="detach"
                      className="button small danger"
                      aria-label={t("session.detachBoard", { board: b.title })}
                    >
                      {t("session.detach")}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="empty">{t("session.noBoards")}</p>
        )}
      </section>

      {therapist ? (
        <>
          <section aria-labelledby="add-h">
            <h2 id="add-h">{t("session.addHeading")}</h2>
            <Form method="get" className="search-form" role="search" aria-label={t("session.searchLabel")} preventScrollReset>
              <div className="field">
                <label htmlFor="board-q">{t("session.searchLabel")}</label>
                <input id="board-q" type="search" name="q" dir="auto" defaultValue={therapist.query} maxLength={100} />
              </div>
              <p>
                <button type="submit" className="button">
                  {t("session.search")}
                </button>
              </p>
            </Form>
            <h3>{therapist.query ? t("session.results", { query: therapist.query }) : t("session.yourBoards")}</h3>
            {/* Finding boards reloads this page without moving focus: say how many were found. */}
            <p aria-live="polite" className="visually-hidden">
              {therapist.query ? t("session.found", { count: therapist.candidates.length }) : ""}
            </p>
            {therapist.candidates.length ? (
              <ul className="candidate-list">
                {therapist.candidates.map((b) => (
                  <li key={b.id}>
                    <span lang={b.lang} dir={contentDir(b.lang)}>
                      {b.title}
                    </span>{" "}
                    <span className="meta">{t("session.by", { name: b.ownerName })}</span>
                    <Form method="post" className="inline-form" preventScrollReset>
                      <input type="hidden" name="boardId" value={b.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="attach"
                        className="button small"
                        aria-label={t("session.attachBoard", { board: b.title })}
                      >
                        {t("session.attach")}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">{t("session.noCandidates")}</p>
            )}
          </section>

          <section aria-labelledby="attendance-h">
            <h2 id="attendance-h">{t("session.attendance")}</h2>
            {therapist.attendance.length ? (
              <Form method="post" className="stack" preventScrollReset>
                <input type="hidden" name="intent" value="attendance" />
                <fieldset className="form-group">
                  <legend>{t("session.whoCame")}</legend>
                  {therapist.attendance.map((m) => (
                    <label key={m.userId} className="check-row">
                      <input type="checkbox" name="present" value={m.userId} defaultChecked={m.present} />
                      {m.displayName} <span className="meta">({t(`roles.${m.role}`)})</span>
                    </label>
                  ))}
                </fieldset>
                <p>
                  <SubmitButton busy={busy} className="button primary">
                    {t("session.saveAttendance")}
                  </SubmitButton>
                </p>
              </Form>
            ) : (
              <p className="empty">{t("members.none")}</p>
            )}
          </section>

          <section aria-labelledby="notes-h">
            <h2 id="notes-h">{t("session.notes")}</h2>
            <p className="hint">{t("session.notesPrivate")}</p>
            <Form
              method="post"
              className="stack"
              preventScrollReset
              key={conflict ? `conflict-${conflict.version}` : `v-${therapist.notesVersion}`}
            >
              <WorkshopFormAlert
                errors={a.intent === "notes" ? a.errors : undefined}
                formError={conflict ? "conflict.message" : undefined}
              />
              <input type="hidden" name="intent" value="notes" />
              <input type="hidden" name="notesVersion" value={conflict ? conflict.version : therapist.notesVersion} />
              <div className="field">
                <label htmlFor="field-notes">{t("fields.notes")}</label>
                <textarea
                  id="field-notes"
                  name="notes"
                  rows={6}
                  defaultValue={conflict ? conflict.mine : (a.mine ?? therapist.notes)}
                  aria-describedby={conflict ? "notes-current" : undefined}
                />
              </div>
              {conflict ? (
                <div className="notes-current" id="notes-current">
                  <h3>{t("conflict.currentHeading")}</h3>
                  <p className="saved-notes">{conflict.current || t("conflict.empty")}</p>
                </div>
              ) : null}
              <p>
                <SubmitButton busy={busy} className="button primary">
                  {conflict ? t("conflict.saveMine") : t("session.saveNotes")}
                </SubmitButton>
              </p>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}
