import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatMeeting, MemberAgenda } from "~/components/MemberAgenda";
import { titleFor } from "~/lib/meta";
import { signedIn } from "~/services/request.server";
import { memberAgenda } from "~/services/workshop-sessions.server";
import { workshopsFor } from "~/services/workshops.server";
import { contentDir } from "~/i18n";

export const meta: MetaFunction = (args) => titleFor(args, "workshops:list.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const all = await workshopsFor(db, user.id);
  return {
    leading: all.filter((w) => w.role === "therapist"),
    joined: all.filter((w) => w.role !== "therapist"),
    agenda: await memberAgenda(db, user.id),
  };
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["leading"][number];

function WorkshopList({ items, empty }: { items: Item[]; empty: string }) {
  const { t, i18n } = useTranslation("workshops");
  if (!items.length) return <p className="empty">{empty}</p>;
  return (
    <ul className="workshop-list">
      {items.map((w) => (
        <li key={w.id} className="workshop-tile">
          <h3>
            <Link to={`/workshops/${w.id}`} lang={w.lang} dir={contentDir(w.lang)}>
              {w.title}
            </Link>
          </h3>
          <p className="meta">
            {w.role === "therapist"
              ? t("list.members", { count: w.memberCount, capacity: w.capacity })
              : t(`roles.${w.role}`) + " · " + t("list.ledBy", { name: w.therapistName })}
          </p>
          <p>{w.next ? t("list.next", { when: formatMeeting(i18n.language, w.next.start, w.timeZone) }) : t("list.ended")}</p>
        </li>
      ))}
    </ul>
  );
}

export default function Workshops() {
  const { leading, joined, agenda } = useLoaderData<typeof loader>();
  const { t } = useTranslation("workshops");
  const { t: tc } = useTranslation("caseload");
  return (
    <>
      <div className="page-head">
        <h1>{t("list.heading")}</h1>
        <p className="lead">{t("list.intro")}</p>
        <p>
          <Link className="button primary" to="/workshops/new">
            {t("list.new")}
          </Link>{" "}
          <span className="meta">{t("list.forTherapists")}</span>
        </p>
      </div>
      <MemberAgenda agenda={agenda} />
      <section aria-labelledby="leading-h">
        <h2 id="leading-h">{t("list.leading")}</h2>
        <WorkshopList items={leading} empty={t("list.noneLeading")} />
        {leading.length ? (
          <p className="standalone-link">
            <Link to="/caseload">{tc("links.caseload")}</Link>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="joined-h">
        <h2 id="joined-h">{t("list.joined")}</h2>
        <WorkshopList items={joined} empty={t("list.noneJoined")} />
      </section>
    </>
  );
}
