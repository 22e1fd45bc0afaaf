import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

type Props = {
  learnerId: number;
  grants: { id: number; displayName: string }[];
  workshops: { id: number; title: string; therapistName: string }[];
  stopped: string | null;
};

/**
 * The learner's own view of who can see their practice record (access/caseload.server.ts), with a
 * "Stop sharing" button per person (it revokes the practice grant at once) and, for workshop
 * therapists, the way to end it: leaving the workshop.
 */
export function SharingPanel({ learnerId, grants, workshops, stopped }: Props) {
  const { t } = useTranslation("caseload");
  return (
    <section aria-labelledby="sharing-h">
      <h2 id="sharing-h">{t("sharing.heading")}</h2>
      <p className="standalone-link">
        <Link to={`/caseload/${learnerId}`}>{t("sharing.report")}</Link>
      </p>
      {stopped ? (
        <p role="status" className="notice">
          {t("sharing.stopped", { name: stopped })}
        </p>
      ) : null}
      {grants.length || workshops.length ? <p>{t("sharing.intro")}</p> : <p>{t("sharing.nobody")}</p>}
      {grants.length ? (
        <>
          <h3>{t("sharing.grants")}</h3>
          <ul className="sharing-list">
            {grants.map((g) => (
              <li key={g.id}>
                <span>{g.displayName}</span>
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="granteeId" value={g.id} />
                  <button type="submit" className="button small danger" aria-label={t("sharing.stopWith", { name: g.displayName })}>
                    {t("sharing.stop")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {workshops.length ? (
        <>
          <h3>{t("sharing.workshops")}</h3>
          <ul className="sharing-list">
            {workshops.map((w) => (
              <li key={w.id}>
                <Link to={`/workshops/${w.id}`}>{t("sharing.workshopLine", { therapist: w.therapistName, workshop: w.title })}</Link>
              </li>
            ))}
          </ul>
          <p className="hint">{t("sharing.leave")}</p>
        </>
      ) : null}
    </section>
  );
}
