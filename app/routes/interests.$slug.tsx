import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BoardList } from "~/components/BoardList";
import { InterestLinks } from "~/components/InterestChips";
import { getPipeline } from "~/services/pipeline.server";
import { readContext } from "~/services/request.server";
import { interestPage } from "~/services/search.server";
import { contentLangOf } from "../../db/enums";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.interest.label} — Tablero` : "Tablero" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, locale } = await readContext(request);
  const interest = await interestPage(db, await getPipeline(), params.slug ?? "", contentLangOf(locale));
  if (!interest) throw new Response("Not found", { status: 404 });
  return { interest };
}

export default function InterestPage() {
  const { interest } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      {interest.ancestors.length ? (
        <nav aria-label={t("interest.breadcrumb")}>
          <ol className="breadcrumb">
            {interest.ancestors.map((a) => (
              <li key={a.slug}>
                <Link to={`/interests/${a.slug}`}>{a.label}</Link>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <h1>{interest.label}</h1>
      <p className="standalone-link">
        <Link to={`/search?q=${encodeURIComponent(interest.label)}`}>{t("interest.searchFor", { label: interest.label })}</Link>
      </p>
      <h2>{t("interest.boards")}</h2>
      {interest.boards.length ? <BoardList boards={interest.boards} /> : <p>{t("interest.noBoards")}</p>}
      {interest.children.length ? (
        <section aria-labelledby="sub-h">
          <h2 id="sub-h">{t("interest.narrower")}</h2>
          <InterestLinks interests={interest.children} />
        </section>
      ) : null}
    </>
  );
}
