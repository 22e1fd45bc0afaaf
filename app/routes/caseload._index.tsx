import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilterForm } from "~/components/caseload/FilterForm";
import { titleFor } from "~/lib/meta";
import { caseloadOverview, filterQuery, parseFilters } from "~/services/caseload.server";
import { signedIn } from "~/services/request.server";
import { namedShare, percent, unaidedShare } from "../../models/caseload/aggregate";
import { formatList } from "~/lib/format";

export const meta: MetaFunction = (args) => titleFor(args, "caseload:title");

/** /caseload — every learner who shared their practice with the viewer, or is in one of their workshops. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const parsed = parseFilters(new URL(request.url).searchParams);
  const rows = await caseloadOverview(db, user, parsed.filters);
  return { rows, values: parsed.values, errors: parsed.errors, query: filterQuery(parsed.filters) };
}

export default function Caseload() {
  const { rows, values, errors, query } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("caseload");
  const day = (d: Date | string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" }).format(new Date(d));
  return (
    <>
      <div className="page-head">
        <h1>{t("heading")}</h1>
        <p>{t("intro")}</p>
      </div>
      <FilterForm values={values} errors={errors} action="/caseload" />
      <section aria-labelledby="learners-h">
        <h2 id="learners-h">{t("list.heading")}</h2>
        {rows.length ? (
          <>
            <div className="table-scroll">
              <table className="caseload-table">
                <caption>{t("list.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("list.learner")}</th>
                    <th scope="col" className="text-cell">
                      {t("list.via")}
                    </th>
                    <th scope="col">{t("report.sittings")}</th>
                    <th scope="col">{t("report.lastPractised")}</th>
                    <th scope="col">{t("report.tries")}</th>
                    <th scope="col">{t("report.correctShort")}</th>
                    <th scope="col">{t("report.named")}</th>
                    <th scope="col">{t("list.homework")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        <Link to={`/caseload/${r.id}${query}`}>{r.displayName}</Link>
                      </th>
                      <td className="text-cell">
                        {formatList(
                          [r.granted ? t("list.shared") : null, ...r.workshops.map((w) => w.title)].filter((x): x is string => !!x),
                          i18n.language,
                          "unit",
                        )}
                      </td>
                      <td>{r.summary.sittings}</td>
                      <td>{r.summary.lastAt ? day(r.summary.lastAt) : "—"}</td>
                      <td>{r.summary.total}</td>
                      <td>{percent(unaidedShare(r.summary), i18n.language)}</td>
                      <td>{percent(namedShare(r.summary), i18n.language)}</td>
                      <td>{r.homework.total ? t("list.homeworkDone", { done: r.homework.done, total: r.homework.total }) : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="standalone-link">
              <a className="button" href={`/caseload/reviews.csv${query}`} download>
                {t("downloads.csvAll")}
              </a>
            </p>
          </>
        ) : (
          <p className="empty">{t("list.empty")}</p>
        )}
      </section>
    </>
  );
}
