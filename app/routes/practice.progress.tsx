import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { ProgressChart } from "~/components/ProgressChart";
import { SharingPanel } from "~/components/caseload/SharingPanel";
import { whoCanSee } from "~/services/access/caseload.server";
import { titleFor } from "~/lib/meta";
import { deletePracticeHistory, practiceLearner, practiceProgress, revokeAccess } from "~/services/practice.server";
import { signedIn } from "~/services/request.server";
import { savingOrThrow } from "~/services/save-failure.server";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "practice:progress.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const url = new URL(request.url);
  // Your own progress, or that of a learner who granted you access; anyone else's is a 404.
  const learner = await practiceLearner(db, user, url.searchParams.get("learner"));
  const bucket = url.searchParams.get("by") === "week" ? "week" : "day";
  return {
    learner,
    bucket,
    progress: await practiceProgress(db, learner.id, new Date(), bucket),
    confirm: learner.self && url.searchParams.get("confirm") === "delete",
    deleted: learner.self && url.searchParams.get("deleted") === "1",
    // Issue 14: who can see this record, and "Stop sharing", on the learner's own page only.
    sharing: learner.self ? await whoCanSee(db, learner.id) : null,
  } as const;
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const form = await readForm(request);
  if (form.get("intent") === "revoke") {
    const granteeId = Number(form.get("granteeId"));
    if (!Number.isSafeInteger(granteeId) || granteeId <= 0) throw new Response("Bad request", { status: 400 });
    const name = (await whoCanSee(db, user.id)).grants.find((g) => g.id === granteeId)?.displayName ?? null;
    await savingOrThrow(() => revokeAccess(db, user, granteeId));
    return { stopped: name };
  }
  if (form.get("intent") !== "delete") throw new Response("Bad request", { status: 400 });
  // Only the learner may delete their history (checked again in the service).
  await deletePracticeHistory(db, user, user.id);
  return redirect("/practice/progress?deleted=1");
}

export default function Progress() {
  const { learner, bucket, progress, confirm, deleted, sharing } = useLoaderData<typeof loader>();
  const revoked = useActionData<typeof action>();
  const { t } = useTranslation("practice");
  const confirmRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (confirm) confirmRef.current?.focus();
  }, [confirm]);
  const q = learner.self ? "" : `learner=${learner.id}&`;
  const totals = progress.totals;
  return (
    <>
      <div className="page-head">
        <h1>{learner.self ? t("progress.heading") : t("progress.headingOf", { name: learner.displayName })}</h1>
        <p className="standalone-link">
          <Link to="/practice">{t("progress.back")}</Link>
        </p>
      </div>
      {deleted ? (
        <p role="status" className="notice">
          {t("progress.deleted")}
        </p>
      ) : null}
      <section aria-labelledby="totals-h">
        <h2 id="totals-h">{t("progress.totals")}</h2>
        <dl className="progress-totals">
          {(["learned", "practised", "ratings", "sessions", "dueNow"] as const).map((k) => (
            <div key={k}>
              <dt>{t(`progress.${k}`)}</dt>
              <dd>{totals[k]}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="chart-h">
        <h2 id="chart-h">{t("progress.chartHeading")}</h2>
        {progress.series.length ? (
          <>
            <ul className="actions practice-view" aria-label={t("progress.chartHeading")}>
              <li>
                <Link className="button small" to={`/practice/progress?${q}by=day`} aria-current={bucket === "day" ? "page" : undefined}>
                  {t("progress.byDay")}
                </Link>
              </li>
              <li>
                <Link className="button small" to={`/practice/progress?${q}by=week`} aria-current={bucket === "week" ? "page" : undefined}>
                  {t("progress.byWeek")}
                </Link>
              </li>
            </ul>
            <ProgressChart series={progress.series} bucket={bucket} />
          </>
        ) : (
          <p>{t("progress.empty")}</p>
        )}
      </section>
      {sharing ? <SharingPanel learnerId={learner.id} {...sharing} stopped={revoked?.stopped ?? null} /> : null}
      {learner.self ? (
        <section aria-labelledby="delete-h" className="danger-zone">
          <h2 id="delete-h">{t("progress.deleteHeading")}</h2>
          <p>{t("progress.deleteIntro")}</p>
          {confirm ? (
            <div className="form-alert" role="group" aria-labelledby="confirm-h">
              <h3 id="confirm-h" ref={confirmRef} tabIndex={-1}>
                {t("progress.confirmHeading")}
              </h3>
              <p>{t("progress.confirmBody")}</p>
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="delete" />
                <button type="submit" className="button danger">
                  {t("progress.confirmYes")}
                </button>
                <Link className="button" to="/practice/progress">
                  {t("progress.confirmNo")}
                </Link>
              </Form>
            </div>
          ) : (
            <p className="standalone-link">
              <Link className="button danger" to="/practice/progress?confirm=delete">
                {t("progress.deleteButton")}
              </Link>
            </p>
          )}
        </section>
      ) : null}
    </>
  );
}
