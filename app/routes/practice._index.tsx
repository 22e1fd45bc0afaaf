import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { useFocusWhenLost } from "~/lib/focus";
import { z } from "zod";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { PracticeBoardList } from "~/components/PracticeBoardList";
import { FormAlert } from "~/components/ui/FormAlert";
import { TextField } from "~/components/ui/TextField";
import { email, parseForm } from "~/lib/forms";
import { titleFor } from "~/lib/meta";
import {
  answerInvitation,
  boardsInProgress,
  cancelInvitation,
  grantsGiven,
  grantsReceived,
  invitationsReceived,
  invitationsSent,
  inviteToPractise,
  revokeAccess,
} from "~/services/practice.server";
import { signedIn } from "~/services/request.server";
import { attemptSave, notSaved, savingOrThrow } from "~/services/save-failure.server";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "practice:overview.title");

const personId = z.coerce.number().int().positive();
/** Every post of this page, by its intent (an unknown intent or a malformed id is a 400). */
const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("grant"), email }),
  z.object({ intent: z.literal("revoke"), granteeId: personId }),
  z.object({ intent: z.literal("cancel"), email: z.string().min(1) }),
  z.object({ intent: z.literal("accept"), learnerId: personId }),
  z.object({ intent: z.literal("decline"), learnerId: personId }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const now = new Date();
  return {
    mine: await boardsInProgress(db, user.id, user, now),
    // Learners who let me practise with them, and their boards.
    withOthers: await Promise.all(
      (await grantsReceived(db, user.id)).map(async (l) => ({ learner: l, boards: await boardsInProgress(db, l.id, user, now) })),
    ),
    given: await grantsGiven(db, user.id),
    pending: await invitationsSent(db, user.id),
    offers: await invitationsReceived(db, user),
  };
}

type Done = { done: "invited" | "removed" | "cancelled" | "accepted" | "declined" | "gone"; name: string };

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "grant") {
    const parsed = parseForm(grantSchema, form);
    if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    const attempt = await attemptSave(() => inviteToPractise(db, user, parsed.data.email));
    if (!attempt.ok) return notSaved(form);
    const result = attempt.value;
    if (!result.ok)
      return data({ errors: { email: result.error } as Record<string, string>, values: { email: parsed.data.email } }, { status: 400 });
    // The same answer for any email: it names nobody (docs/decisions/0016-accounts.md).
    return { done: "invited", name: parsed.data.email } satisfies Done;
  }
  const parsed = intentSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const p = parsed.data;
  switch (p.intent) {
    case "revoke":
      await savingOrThrow(() => revokeAccess(db, user, p.granteeId));
      return { done: "removed", name: "" } satisfies Done;
    case "cancel":
      await savingOrThrow(() => cancelInvitation(db, user, p.email));
      return { done: "cancelled", name: "" } satisfies Done;
    case "accept": {
      // Their name, as the invitation showed it (the offer is theirs to name themselves in).
      const learner = (await invitationsReceived(db, user)).find((l) => l.id === p.learnerId);
      // Cancelled (or never sent) while the page was open: say so, grant nothing.
      if (!(await savingOrThrow(() => answerInvitation(db, user, p.learnerId, true))))
        return data({ done: "gone", name: "" } satisfies Done, { status: 409 });
      return { done: "accepted", name: learner?.displayName ?? "" } satisfies Done;
    }
    case "decline":
      if (!(await savingOrThrow(() => answerInvitation(db, user, p.learnerId, false))))
        return data({ done: "gone", name: "" } satisfies Done, { status: 409 });
      return { done: "declined", name: "" } satisfies Done;
    default:
      throw new Response("Bad request", { status: 400 });
  }
}

const grantSchema = z.object({ email });

const STATUS: Record<Done["done"], (t: TFunction<"practice">, name: string) => string> = {
  invited: (t, email) => t("grants.invited", { email }),
  removed: (t) => t("grants.removed"),
  cancelled: (t) => t("grants.cancelled"),
  accepted: (t, name) => t("invitations.accepted", { name }),
  declined: (t) => t("invitations.declined"),
  gone: (t) => t("invitations.gone"),
};

export default function PracticeOverview() {
  const { mine, withOthers, given, pending, offers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("practice");
  const { t: tc } = useTranslation("caseload");
  const busy = useNavigation().state === "submitting";
  const errors = actionData && "errors" in actionData ? actionData.errors : undefined;
  const values = (actionData && "values" in actionData ? actionData.values : {}) as Record<string, string>;
  const done = actionData && "done" in actionData ? actionData : null;
  // Accepting, cancelling or inviting re-renders the pressed button's list (or the invite form): focus
  // goes to the message that says what happened, not to <body>.
  const statusRef = useRef<HTMLParagraphElement>(null);
  useFocusWhenLost(statusRef, done);
  return (
    <>
      <div className="page-head">
        <h1>{t("overview.heading")}</h1>
        <p className="lead">{t("overview.intro")}</p>
      </div>

      <section aria-labelledby="mine-h">
        <h2 id="mine-h">{t("overview.myBoards")}</h2>
        {mine.length ? (
          <PracticeBoardList boards={mine} learnerId={null} />
        ) : (
          <p>
            {t("overview.noBoards")} <Link to="/search">{t("overview.findBoard")}</Link>
          </p>
        )}
        <p className="standalone-link">
          <Link className="button" to="/practice/progress">
            {t("overview.myProgress")}
          </Link>
        </p>
      </section>

      {offers.length ? (
        <section aria-labelledby="offers-h">
          <h2 id="offers-h">{t("invitations.heading")}</h2>
          <ul className="grant-list">
            {offers.map((o) => (
              <li key={o.id}>
                <span>{t("invitations.offer", { name: o.displayName })}</span>
                <Form method="post">
                  <input type="hidden" name="learnerId" value={o.id} />
                  <SubmitButton busy={busy} className="button small primary" name="intent" value="accept">
                    {t("invitations.accept")}
                    <span className="visually-hidden">: {o.displayName}</span>
                  </SubmitButton>{" "}
                  <SubmitButton busy={busy} className="button small" name="intent" value="decline">
                    {t("invitations.decline")}
                    <span className="visually-hidden">: {o.displayName}</span>
                  </SubmitButton>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="others-h">
        <h2 id="others-h">{t("overview.withOthers")}</h2>
        {withOthers.length === 0 ? (
          <p>{t("overview.withOthersNone")}</p>
        ) : (
          <p className="standalone-link">
            <Link to="/caseload">{tc("links.caseload")}</Link>
          </p>
        )}
        {withOthers.map(({ learner, boards }) => (
          <section key={learner.id} className="practice-with" aria-labelledby={`with-${learner.id}`}>
            <h3 id={`with-${learner.id}`}>{t("overview.practiseWith", { name: learner.displayName })}</h3>
            {boards.length ? (
              <PracticeBoardList boards={boards} learnerId={learner.id} />
            ) : (
              <p>{t("overview.theirNoBoards", { name: learner.displayName })}</p>
            )}
            <p className="standalone-link">
              <Link className="button" to={`/practice/progress?learner=${learner.id}`}>
                {t("overview.theirProgress", { name: learner.displayName })}
              </Link>{" "}
              <Link className="button" to={`/caseload/${learner.id}`}>
                {tc("links.record", { name: learner.displayName })}
              </Link>
            </p>
          </section>
        ))}
      </section>

      <section aria-labelledby="grants-h" className="practice-grants">
        <h2 id="grants-h">{t("grants.heading")}</h2>
        <p>{t("grants.intro")}</p>
        <p role="status" className="announcement" tabIndex={-1} ref={statusRef}>
          {done ? STATUS[done.done](t, done.name) : ""}
        </p>
        {given.length ? (
          <ul className="grant-list">
            {given.map((g) => (
              <li key={g.id}>
                <span>
                  <strong>{g.displayName}</strong> <span className="meta">({g.email})</span>
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="granteeId" value={g.id} />
                  <SubmitButton busy={busy} className="button small danger">
                    {t("grants.remove")}
                    <span className="visually-hidden">: {g.displayName}</span>
                  </SubmitButton>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("grants.none")}</p>
        )}
        {pending.length ? (
          <>
            <h3>{t("grants.pendingHeading")}</h3>
            <ul className="grant-list">
              {pending.map((p) => (
                <li key={p.email}>
                  <span className="meta">{p.email}</span>
                  <Form method="post">
                    <input type="hidden" name="intent" value="cancel" />
                    <input type="hidden" name="email" value={p.email} />
                    <SubmitButton busy={busy} className="button small">
                      {t("grants.cancel")}
                      <span className="visually-hidden">: {p.email}</span>
                    </SubmitButton>
                  </Form>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <Form method="post" className="stack narrow" noValidate key={done?.done === "invited" ? `invited-${pending.length}` : "form"}>
          <FormAlert errors={errors} ns="practice" labels={{ email: "grants.email" }} />
          <input type="hidden" name="intent" value="grant" />
          <TextField
            name="email"
            type="email"
            label={t("grants.email")}
            isRequired
            defaultValue={values.email}
            error={errors?.email}
            autoComplete="off"
          />
          <SubmitButton busy={busy} className="button primary">
            {t("grants.give")}
          </SubmitButton>
        </Form>
      </section>
    </>
  );
}
