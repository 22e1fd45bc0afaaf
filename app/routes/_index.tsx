import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BoardList } from "~/components/BoardList";
import { titleFor } from "~/lib/meta";
import { boardsOwnedBy, popularPublicBoards, recentPublicBoards } from "~/services/boards.server";
import { context } from "~/services/request.server";

export const meta: MetaFunction = (args) => titleFor(args, "home.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = context(request);
  return {
    mine: user ? boardsOwnedBy(db, user.id) : null,
    popular: popularPublicBoards(db, 12),
    recent: recentPublicBoards(db, 12),
  };
}

export default function Home() {
  const { mine, popular, recent } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("home.heading")}</h1>
      <p className="lead">{t("home.intro")}</p>
      {mine ? (
        <section aria-labelledby="mine-h">
          <h2 id="mine-h">{t("home.mine")}</h2>
          {mine.length ? (
            <BoardList boards={mine} showVisibility />
          ) : (
            <p>
              {t("home.noBoards")} <Link to="/boards/new">{t("nav.newBoard")}</Link>
            </p>
          )}
        </section>
      ) : null}
      <section aria-labelledby="popular-h">
        <h2 id="popular-h">{t("home.popular")}</h2>
        <BoardList boards={popular} />
      </section>
      <section aria-labelledby="recent-h">
        <h2 id="recent-h">{t("home.recent")}</h2>
        <BoardList boards={recent} />
      </section>
    </>
  );
}
