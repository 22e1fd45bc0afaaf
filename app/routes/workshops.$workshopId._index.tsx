import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { withKey } from "~/lib/share-link";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { useFocusWhenLost } from "~/lib/focus";
import { RadioChoice } from "~/components/ui/Choice";
import { formatDay, formatInstantDay, formatMeeting } from "~/components/MemberAgenda";
import { PlainField, WorkshopFormAlert } from "~/components/WorkshopForm";
import { formValues } from "~/lib/forms";
import { assignmentSchema, inviteSchema, parseWorkshopForm } from "~/lib/workshop-forms";
import { context, formId, idParam } from "~/services/request.server";
import { localToday } from "~/services/workshop-schedule.server";
import { createAssignment, deleteAssignment, workshopHomework } from "~/services/workshop-sessions.server";
import { createInvite, leaveWorkshop, removeMember, revokeInvite, workshopPage } from "~/services/workshops.server";
import { contentDir, i18nFor } from "~/i18n";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { savingOrThrow } from "~/services/save-failure.server";
import { workshopCompletion } from "~/services/caseload.server";
import { HomeworkCompletion } from "~/components/caseload/HomeworkCompletion";
import { formatList } from "~/lib/format";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.workshop.title} — Tablero` : "Tablero" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await context(request);
  const id = idParam(params.workshopId);
  const page = await workshopPage(db, id, user);
  // Issue 14: for the therapist, how far each participant got with each assignment.
  const completion = page.role === "therapist" && user ? await workshopCompletion(db, id, user) : null;
  return { ...page, homework: await workshopHomework(db, id, user), completion, today: localToday(page.workshop.timeZone).toString() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, locale } = await context(request);
  const id = idParam(params.workshopId);
  if (!user) throw new Response("Not found", { status: 404 });
  const form = await readForm(request);
  const intent = form.get("intent");
  const t = i18nFor(locale).t;
  switch (intent) {
    case "invite": {
      const parsed = parseWorkshopForm(inviteSchema, form);
      if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
      const invite = await savingOrThrow(() => createInvite(db, id, user, parsed.data.role));
      const link = `${new URL(request.url).origin}/invite/${invite.token}`;
      return { intent, link, role: invite.role, expiresAt: invite.expiresAt.toISOString() };
    }
    case "revokeInvite":
      await savingOrThrow(() => revokeInvite(db, id, user, formId(form, "inviteId")));
      return { intent, done: t("workshops:invite.revoked") };
    case "removeMember":
      await savingOrThrow(() => removeMember(db, id, user, formId(form, "userId")));
      return { intent, done: t("workshops:members.removed") };
    case "leave":
      await savingOrThrow(() => leaveWorkshop(db, id, user));
      throw new Response(null, { status: 303, headers: { Location: "/workshops" } });
    case "assign": {
      const parsed = parseWorkshopForm(assignmentSchema, form);
      if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
      const r = await savingOrThrow(() => createAssignment(db, id, user, parsed.data));
      if (!r.ok)
        return data(
          { intent, errors: r.errors, values: { ...formValues(form), memberIds: form.getAll("memberIds").map(String) } },
          { status: 400 },
        );
      return { intent, done: t("workshops:homework.assigned") };
    }
    case "deleteAssignment":
      await savingOrThrow(() => deleteAssignment(db, id, user, formId(form, "assignmentId")));
      return { intent, done: t("workshops:homework.deleted") };
    default:
      return data({ intent: "unknown", errors: { form: "workshops:errors.invalid" } }, { status: 400 });
  }
}

type ActionData = {
  intent?: string;
  errors?: Record<string, string>;
  values?: Record<string, string | string[]>;
  link?: string;
  role?: string;
  expiresAt?: string;
  done?: string;
};

export default function WorkshopPage() {
  const {
    workshop: w,
    role,
    therapistName,
    members,
    upcoming,
    past,
    invites,
    myBoards,
    homework,
    completion,
    today,
  } = useLoaderData<typeof loader>();
  const a = (useActionData<typeof action>() ?? {}) as ActionData;
  // A new invitation link takes focus (selected, ready to copy): it is what the person asked for.
  const linkRef = useRef<HTMLInputElement>(null);
  useFocusWhenLost(linkRef, a.link ? a : null, true);
  const { t, i18n } = useTranslation("workshops");
  const busy = useNavigation().state === "submitting";
  const lang = i18n.language;
  const isTherapist = role === "therapist";
  const weekday = new Intl.DateTimeFormat(lang, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, w.weekday)));
  const assignValues = a.intent === "assign" ? (a.values ?? {}) : {};
  return (
    <>
      <div className="page-head">
        <h1 lang={w.lang} dir={contentDir(w.lang)}>
          {w.title}
        </h1>
        {w.description ? (
          <p className="lead" lang={w.lang} dir={contentDir(w.lang)}>
            {w.description}
          </p>
        ) : null}
        <p className="meta">
          {t("page.ledBy", { name: therapistName })} · {isTherapist ? t("roles.therapist") : t(`roles.${role}`)}
        </p>
      </div>
      {a.done ? (
        <p role="status" className="notice">
          {a.done}
        </p>
      ) : null}

      <section aria-labelledby="schedule-h">
        <h2 id="schedule-h">{t("page.schedule")}</h2>
        <p className="schedule-line">
          {t("page.every", { weekday, time: w.startTime, minutes: w.durationMinutes, zone: w.timeZone.replace(/_/g, " ") })}
        </p>
        <p>
          {w.endsOn
            ? t("page.fromUntil", { from: formatDay(lang, w.startsOn), until: formatDay(lang, w.endsOn) })
            : t("page.from", { from: formatDay(lang, w.startsOn) })}
        </p>
        {w.place ? <p>{t("page.place", { place: w.place })}</p> : null}
        {w.videoUrl ? (
          <p className="standalone-link">
            <a href={w.videoUrl} rel="noopener noreferrer">
              {t("page.videoLink")}
            </a>
          </p>
        ) : null}
        <ul className="actions">
          <li>
            <a className="button" href={`/workshops/${w.id}/calendar.ics`} download>
              {t("page.calendar")}
            </a>
          </li>
          {isTherapist ? (
            <li>
              <Link className="button" to={`/workshops/${w.id}/edit`}>
                {t("page.edit")}
              </Link>
            </li>
          ) : null}
        </ul>
      </section>

      <section aria-labelledby="next-h">
        <h2 id="next-h">{t("page.nextSessions")}</h2>
        {upcoming.length ? (
          <ul className="session-list">
            {upcoming.map((m) => (
              <li key={m.date}>
                <Link to={`/workshops/${w.id}/sessions/${m.date}`}>{formatMeeting(lang, m.start, w.timeZone)}</Link>
                <Link
                  className="button small"
                  to={`/workshops/${w.id}/sessions/${m.date}/present`}
                  aria-label={t("page.presentOn", { date: formatDay(lang, m.date) })}
                >
                  {t("page.present")}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t("page.noSessions")}</p>
        )}
        {past.length ? (
          <>
            <h3>{t("page.pastSessions")}</h3>
            <ul className="session-list">
              {past.map((m) => (
                <li key={m.date}>
                  <Link to={`/workshops/${w.id}/sessions/${m.date}`}>{formatMeeting(lang, m.start, w.timeZone)}</Link>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section aria-labelledby="members-h">
        <h2 id="members-h">{t("members.heading")}</h2>
        <p className="meta">{t("members.count", { count: members.length, capacity: w.capacity })}</p>
        {members.length ? (
          <ul className="member-list">
            {members.map((m) => (
              <li key={m.userId}>
                <span className="member-name">{m.displayName}</span> <span className="meta">{t(`roles.${m.role}`)}</span>
                {isTherapist ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="removeMember" />
                    <input type="hidden" name="userId" value={m.userId} />
                    <button type="submit" className="button small danger" aria-label={t("members.removeName", { name: m.displayName })}>
                      {t("members.remove")}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t("members.none")}</p>
        )}
        {!isTherapist ? (
          <Form method="post">
            <input type="hidden" name="intent" value="leave" />
            <button type="submit" className="button danger">
              {t("members.leave")}
            </button>
          </Form>
        ) : null}
      </section>

      {isTherapist ? (
        <section aria-labelledby="invite-h">
          <h2 id="invite-h">{t("invite.heading")}</h2>
          <p>{t("invite.intro")}</p>
          <Form method="post" className="stack narrow">
            <input type="hidden" name="intent" value="invite" />
            <RadioChoice
              name="role"
              label={t("invite.role")}
              defaultValue="participant"
              options={[
                { value: "participant", label: t("roles.participant") },
                { value: "relative", label: t("roles.relative") },
              ]}
              error={a.intent === "invite" ? a.errors?.role : undefined}
            />
            <SubmitButton busy={busy} className="button primary">
              {t("invite.create")}
            </SubmitButton>
          </Form>
          {a.link ? (
            <div className="notice invite-result" role="status">
              <p>{t("invite.created", { role: t(`inviteRole.${a.role}`), date: formatInstantDay(lang, a.expiresAt!, w.timeZone) })}</p>
              <label htmlFor="invite-link" className="field-label">
                {t("invite.link")}
              </label>
              <input
                id="invite-link"
                ref={linkRef}
                className="invite-link"
                type="text"
                readOnly
                value={a.link}
                onFocus={(e) => e.currentTarget.select()}
              />
            </div>
          ) : null}
          {invites.length ? (
            <>
              <h3>{t("invite.open")}</h3>
              <ul className="member-list">
                {invites.map((inv) => (
                  <li key={inv.id}>
                    {t("invite.openItem", { role: t(`roles.${inv.role}`), date: formatInstantDay(lang, inv.expiresAt, w.timeZone) })}
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="revokeInvite" />
                      <input type="hidden" name="inviteId" value={inv.id} />
                      <button type="submit" className="button small">
                        {t("invite.revoke")}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="homework-h">
        <h2 id="homework-h">{t("homework.heading")}</h2>
        {homework.length ? (
          <ul className="agenda-list">
            {homework.map((h) => (
              <li key={h.id} className="agenda-item">
                <Link to={withKey(`/boards/${h.boardId}`, h.shareKey)} lang={h.boardLang} dir={contentDir(h.boardLang)}>
                  {h.boardTitle}
                </Link>
                <span className="agenda-when">{t("agenda.due", { date: formatDay(lang, h.dueOn) })}</span>
                {isTherapist ? (
                  <>
                    <span className="meta">
                      {h.allMembers ? t("homework.forAll") : t("homework.forSome", { names: formatList(h.memberNames, i18n.language) })}
                    </span>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="deleteAssignment" />
                      <input type="hidden" name="assignmentId" value={h.id} />
                      <button type="submit" className="button small danger" aria-label={t("homework.deleteBoard", { board: h.boardTitle })}>
                        {t("homework.delete")}
                      </button>
                    </Form>
                  </>
                ) : (
                  <Link
                    className="button small"
                    to={withKey(`/boards/${h.boardId}/practice`, h.shareKey)}
                    aria-label={t("agenda.practiseBoard", { board: h.boardTitle })}
                  >
                    {t("agenda.practise")}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t("homework.none")}</p>
        )}
        {completion ? (
          <HomeworkCompletion
            members={completion}
            assignments={homework.map((h) => ({ id: h.id, boardTitle: h.boardTitle, dueOn: h.dueOn }))}
            formatDue={(iso) => formatDay(lang, iso)}
          />
        ) : null}
        {isTherapist ? (
          <>
            <h3>{t("homework.assignHeading")}</h3>
            {myBoards.length ? (
              <Form method="post" className="stack narrow" noValidate>
                <WorkshopFormAlert errors={a.intent === "assign" ? a.errors : undefined} />
                <input type="hidden" name="intent" value="assign" />
                <PlainField
                  name="boardId"
                  label={t("fields.boardId")}
                  error={a.intent === "assign" ? a.errors?.boardId : undefined}
                  required
                >
                  {(p) => (
                    <select {...p} defaultValue={String(assignValues.boardId ?? "")}>
                      {myBoards.map((b) => (
                        <option key={b.id} value={b.id} lang={b.lang} dir={contentDir(b.lang)} disabled={b.visibility === "private"}>
                          {b.visibility === "private" ? `${b.title} (${t("homework.privateBoard")})` : b.title}
                        </option>
                      ))}
                    </select>
                  )}
                </PlainField>
                <PlainField name="dueOn" label={t("fields.dueOn")} error={a.intent === "assign" ? a.errors?.dueOn : undefined} required>
                  {(p) => <input {...p} type="date" min={today} defaultValue={String(assignValues.dueOn ?? "")} />}
                </PlainField>
                <RadioChoice
                  name="audience"
                  label={t("fields.audience")}
                  defaultValue={String(assignValues.audience ?? "all")}
                  options={[
                    { value: "all", label: t("homework.all") },
                    { value: "some", label: t("homework.some") },
                  ]}
                  error={a.intent === "assign" ? a.errors?.audience : undefined}
                />
                {members.length ? (
                  <fieldset
                    className="form-group"
                    id="field-memberIds"
                    aria-describedby={a.intent === "assign" && a.errors?.memberIds ? "memberIds-error" : undefined}
                  >
                    <legend>{t("fields.memberIds")}</legend>
                    {members.map((m) => (
                      <label key={m.userId} className="check-row">
                        <input
                          type="checkbox"
                          name="memberIds"
                          value={m.userId}
                          defaultChecked={([] as string[]).concat(assignValues.memberIds ?? []).includes(String(m.userId))}
                        />
                        {m.displayName}
                      </label>
                    ))}
                    {a.intent === "assign" && a.errors?.memberIds ? (
                      <p id="memberIds-error" className="field-error">
                        {t(a.errors.memberIds)}
                      </p>
                    ) : null}
                  </fieldset>
                ) : null}
                <SubmitButton busy={busy} className="button primary">
                  {t("homework.assign")}
                </SubmitButton>
              </Form>
            ) : (
              <p>
                {t("homework.noBoards")} <Link to="/boards/new">{t("homework.makeBoard")}</Link>
              </p>
            )}
          </>
        ) : null}
      </section>
    </>
  );
}
