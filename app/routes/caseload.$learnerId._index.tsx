import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilterForm } from "~/components/caseload/FilterForm";
import { HomeworkTable } from "~/components/caseload/HomeworkTable";
import { ResultsChart } from "~/components/caseload/ResultsChart";
import { i18nFor, type Lng } from "~/i18n";
import { filterQuery, learnerReport, parseFilters } from "~/services/caseload.server";
import { idParam, signedIn } from "~/services/request.server";
import { CUE_LEVELS } from "../../db/enums";
import { namedShare, percent, unaidedShare } from "../../models/caseload/aggregate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: Lng } | undefined;
  const t = i18nFor(root?.locale ?? "en").t;
  if (!data) return [{ title: "Tablero" }];
  const page = data.learner.self ? t("caseload:report.headingSelf") : t("caseload:report.heading", { name: data.learner.displayName });
  return [{ title: `${page} — Tablero` }];
};

/**
 * /caseload/:learnerId — one learner's words, cues and homework in a date range and mode: for the
 * learner themselves and whoever access/caseload.server.ts lets see it (404 to anyone else).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const parsed = parseFilters(new URL(request.url).searchParams);
  const report = await learnerReport(db, user, idParam(params.learnerId), parsed.filters, user.locale);
  return { ...report, by: parsed.filters.by, values: parsed.values, errors: parsed.errors, query: filterQuery(parsed.filters) };
}

export default function LearnerReportPage() {
  const { learner, summary, words, cues, periods, homework, by, values, errors, query } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("caseload");
  const day = (d: Date | string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" }).format(new Date(d));
  const base = `/caseload/${learner.id}`;
  const lastText = (w: (typeof words)[number]) =>
    w.last.outcome === "cued" && w.last.cueLevel !== null
      ? t("report.lastCued", { cue: t(`cues.${CUE_LEVELS[w.last.cueLevel]}`) })
      : t(`results.${w.last.outcome}`);
  return (
    <>
      <div className="page-head">
        <h1>{learner.self ? t("report.headingSelf") : t("report.heading", { name: learner.displayName })}</h1>
        <p className="standalone-link">
          {learner.self ? (
            <Link to="/practice/progress">{t("report.backSelf")}</Link>
          ) : (
            <Link to={`/caseload${query}`}>{t("report.back")}</Link>
          )}
        </p>
      </div>
      <FilterForm values={values} errors={errors} action={base} />
      <section aria-labelledby="downloads-h">
        <h2 id="downloads-h">{t("downloads.heading")}</h2>
        <ul className="actions">
          <li>
            <a className="button" href={`${base}/reviews.csv${query}`} download>
              {t("downloads.csv")}
            </a>
          </li>
          <li>
            <a className="button" href={`${base}/report.pdf${query}`} download>
              {t("downloads.pdf")}
            </a>
          </li>
        </ul>
      </section>
      <section aria-labelledby="summary-h">
        <h2 id="summary-h">{t("report.summary")}</h2>
        {summary.total ? (
          <dl className="progress-totals">
            <div>
              <dt>{t("report.tries")}</dt>
              <dd>{summary.total}</dd>
            </div>
            <div>
              <dt>{t("report.correctShort")}</dt>
              <dd>{percent(unaidedShare(summary), i18n.language)}</dd>
            </div>
            <div>
              <dt>{t("report.named")}</dt>
              <dd>{percent(namedShare(summary), i18n.language)}</dd>
            </div>
            <div>
              <dt>{t("report.sittings")}</dt>
              <dd>{summary.sittings}</dd>
            </div>
            <div>
              <dt>{t("report.lastPractised")}</dt>
              <dd className="small-dd">{summary.lastAt ? day(summary.lastAt) : "—"}</dd>
            </div>
          </dl>
        ) : (
          <p className="empty">{t("report.noReviews")}</p>
        )}
      </section>
      {periods.length ? (
        <section aria-labelledby="time-h">
          <h2 id="time-h">{t("chart.heading")}</h2>
          <ResultsChart periods={periods} by={by} />
        </section>
      ) : null}
      {summary.total ? (
        <>
          <section aria-labelledby="cues-h">
            <h2 id="cues-h">{t("report.cuesHeading")}</h2>
            <div className="table-scroll">
              <table className="caseload-table">
                <caption>{t("report.cuesCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("report.cueLevel")}</th>
                    <th scope="col">{t("report.tries")}</th>
                    <th scope="col">{t("report.namedCount")}</th>
                    <th scope="col">{t("report.notYet")}</th>
                  </tr>
                </thead>
                <tbody>
                  {cues.levels.map((c) => (
                    <tr key={c.name}>
                      <th scope="row">{t(`cues.${c.name}`)}</th>
                      <td>{c.total}</td>
                      <td>{c.correct + c.cued}</td>
                      <td>{c.notYet}</td>
                    </tr>
                  ))}
                  {cues.unrecorded.total ? (
                    <tr>
                      <th scope="row">{t("cues.notRecorded")}</th>
                      <td>{cues.unrecorded.total}</td>
                      <td>{cues.unrecorded.correct + cues.unrecorded.cued}</td>
                      <td>{cues.unrecorded.notYet}</td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
            </div>
          </section>
          <section aria-labelledby="words-h">
            <h2 id="words-h">{t("report.wordsHeading")}</h2>
            <div className="table-scroll">
              <table className="caseload-table">
                <caption>{t("report.wordsCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("report.word")}</th>
                    <th scope="col">{t("report.tries")}</th>
                    <th scope="col">{t("results.correct")}</th>
                    <th scope="col">{t("results.cued")}</th>
                    <th scope="col">{t("results.not_yet")}</th>
                    <th scope="col">{t("report.named")}</th>
                    <th scope="col" className="text-cell">
                      {t("report.last")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {words.map((w) => (
                    <tr key={w.pinId}>
                      <th scope="row">{w.word}</th>
                      <td>{w.total}</td>
                      <td>{w.correct}</td>
                      <td>{w.cued}</td>
                      <td>{w.notYet}</td>
                      <td>{percent(namedShare(w), i18n.language)}</td>
                      <td className="text-cell">
                        {lastText(w)} <span className="hint">({day(w.last.at)})</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      ) : null}
      <section aria-labelledby="homework-h">
        <h2 id="homework-h">{t("homework.heading")}</h2>
        <HomeworkTable items={homework} />
      </section>
    </>
  );
}
