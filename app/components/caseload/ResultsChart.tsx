import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, XAxis, YAxis } from "recharts";
import { CUE_LEVELS } from "../../../db/enums";
import type { PeriodRow } from "../../../models/caseload/aggregate";

/**
 * Results over time: per day or week, how many tries were named without help, with a cue, or not yet
 * (stacked bars). The picture is one image with a spoken summary; the same numbers are ALWAYS on the
 * page as a table right below it (not hidden behind a toggle), so the chart is never the only way.
 * Recharts draws in the browser only; the summary and the table come in the server's HTML.
 */
export function ResultsChart({ periods, by }: { periods: PeriodRow[]; by: "day" | "week" }) {
  const { t, i18n } = useTranslation("caseload");
  const [client, setClient] = useState(false);
  useEffect(() => setClient(true), []);
  const fmt = new Intl.DateTimeFormat(i18n.language, { day: "numeric", month: "short", timeZone: "UTC" });
  const label = (p: string) => fmt.format(new Date(`${p}T00:00:00Z`));
  const rows = periods.map((p) => ({ ...p, label: label(p.period) }));
  const sum = (k: "correct" | "cued" | "notYet") => periods.reduce((n, p) => n + p[k], 0);
  const summary = t("chart.label", {
    from: label(periods[0]!.period),
    to: label(periods.at(-1)!.period),
    correct: sum("correct"),
    cued: sum("cued"),
    notYet: sum("notYet"),
  });
  return (
    <div className="progress-figure">
      <div role="img" aria-label={summary} className="progress-chart">
        {client ? (
          <BarChart
            responsive
            data={rows}
            accessibilityLayer={false}
            style={{ width: "100%", aspectRatio: 2.2, maxHeight: "24rem" }}
            margin={{ top: 16, right: 8, bottom: 8, left: 0 }}
          >
            <CartesianGrid stroke="#d0d0d0" strokeDasharray="4 4" />
            <XAxis dataKey="label" tick={{ fill: "#333333" }} minTickGap={16} />
            <YAxis allowDecimals={false} tick={{ fill: "#333333" }} />
            {/* Colours told apart without hue too: the legend names them, and the table says the same. */}
            <Bar dataKey="correct" stackId="r" name={t("results.correct")} fill="#1d4ed8" isAnimationActive={false} />
            <Bar dataKey="cued" stackId="r" name={t("results.cued")} fill="#b45309" isAnimationActive={false} />
            <Bar dataKey="notYet" stackId="r" name={t("results.not_yet")} fill="#6b7280" isAnimationActive={false} />
            <Legend />
          </BarChart>
        ) : null}
      </div>
      <div className="table-scroll">
        <table className="caseload-table">
          <caption>{by === "day" ? t("chart.captionDay") : t("chart.captionWeek")}</caption>
          <thead>
            <tr>
              <th scope="col">{by === "day" ? t("chart.day") : t("chart.week")}</th>
              <th scope="col">{t("report.tries")}</th>
              <th scope="col">{t("results.correct")}</th>
              <th scope="col">{t("results.cued")}</th>
              <th scope="col">{t("results.not_yet")}</th>
              <th scope="col">{t("report.sittings")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.period}>
                <th scope="row">{r.label}</th>
                <td>{r.total}</td>
                <td>{r.correct}</td>
                <td>{r.cued}</td>
                <td>{r.notYet}</td>
                <td>{r.sittings}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-scroll">
        <table className="caseload-table">
          <caption>{by === "day" ? t("chart.cuesCaptionDay") : t("chart.cuesCaptionWeek")}</caption>
          <thead>
            <tr>
              <th scope="col">{by === "day" ? t("chart.day") : t("chart.week")}</th>
              {CUE_LEVELS.map((c) => (
                <th scope="col" key={c}>
                  {t(`cues.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.period}>
                <th scope="row">{r.label}</th>
                {r.cues.map((n, i) => (
                  <td key={CUE_LEVELS[i]}>{n}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
